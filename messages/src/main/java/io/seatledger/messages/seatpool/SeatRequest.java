package io.seatledger.messages.seatpool;

import java.util.Map;

/** One seat of a bulk assignment; a seat claimed at once names its holder's user id. */
public record SeatRequest(String seatId, String email, boolean immediateClaim, String holderUserId, Map<String, String> metadata) {
}
