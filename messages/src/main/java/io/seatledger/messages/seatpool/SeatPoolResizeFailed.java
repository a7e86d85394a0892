package io.seatledger.messages.seatpool;

import java.time.Instant;

/** Stripe refused a requested resize; capacity is unchanged. */
public record SeatPoolResizeFailed(String poolId, String orgId, int seats, String failure, Instant failedAt) {
}
