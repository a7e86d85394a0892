package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.OrganizationEvent;
import java.time.Instant;

/** Payment arrived; the pool can be used. */
public record SeatPoolActivated(String poolId, String orgId, BillingPeriod currentPeriod, StripeSubscription stripe, Instant activatedAt) implements OrganizationEvent {
}
