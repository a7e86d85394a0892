package io.seatledger.messages.seatpool;

import java.time.Instant;

/** The overdue payment arrived; the pool is active and entitles again. */
public record SeatPoolPaymentRecovered(String poolId, String orgId, Instant at) {
}
