package io.seatledger.client.model;

import java.util.List;

/** Whether a user may use the product, and the seats that entitle them. */
public record Entitlement(String userId, boolean entitled, List<HeldSeat> seats) {

    public record HeldSeat(String poolId, String seatId) {
    }
}
