package io.seatledger.messages.seatpool;

import io.seatledger.messages.common.OrganizationEvent;
import io.seatledger.messages.pricing.Pricing;
import java.time.Instant;

/** A pool of seats was bought. */
public record SeatPoolPurchased(String poolId, String orgId, PoolKind kind, int capacity, Pricing pricing, BillingInterval interval, PoolStatus status, BillingPeriod currentPeriod, StripeSubscription stripe, Instant purchasedAt) implements OrganizationEvent {
}
