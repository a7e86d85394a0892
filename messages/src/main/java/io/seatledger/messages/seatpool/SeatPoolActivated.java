package io.seatledger.messages.seatpool;

import java.time.Instant;

/** Payment arrived; the pool can be used. */
public record SeatPoolActivated(String poolId, String orgId, BillingPeriod currentPeriod, StripeSubscription stripe, Instant activatedAt) {
}
