package io.seatledger.client.model;

import java.time.Instant;

/** A seat pool as the API shows it. */
public record SeatPool(String poolId, String orgId, PoolKind kind, PoolStatus status, BillingInterval interval, int capacity, int pending,
                       int claimed, int available, int overAllocated, Pricing pricing, BillingPeriod currentPeriod, boolean cancelAtPeriodEnd,
                       ScheduledChange scheduledChange, StripeIds stripe, long version, Instant createdAt) {
}
