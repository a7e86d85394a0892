package io.seatledger.client.model;

import java.util.Map;

/** One seat to assign: an invitation by e-mail, or (immediateClaim with the holder's userId) a seat claimed at once. */
public record AssignSeat(String email, Boolean immediateClaim, String userId, Map<String, String> metadata) {

    /** An invitation sent to this address. */
    public static AssignSeat invite(String email) {
        return new AssignSeat(email, null, null, null);
    }

    /** A seat claimed at once by this user (their token's {@code sub}). */
    public static AssignSeat claimedBy(String email, String userId) {
        return new AssignSeat(email, true, userId, null);
    }
}
