package io.seatledger.query.entitlement;

import java.util.List;

/** Whether a user may use the product: they hold a claimed seat in a pool in service. */
public record Entitlement(String userId, boolean entitled, List<HeldSeat> seats) {

    public record HeldSeat(String poolId, String seatId) {
    }

    public static Entitlement of(String userId, List<HeldSeat> seats) {
        return new Entitlement(userId, !seats.isEmpty(), seats);
    }
}
