package io.seatledger.messages.seatpool;

import io.seatledger.messages.pricing.Pricing;

import java.time.Instant;

/**
 * A pool as it stands right after a command (its counts, terms and billing state at {@code version}, the sequence
 * number of its last event): what the command's answer shows, so that the answer needs no read model.
 */
public record PoolState(String poolId, String orgId, PoolKind kind, PoolStatus status, BillingInterval interval, int capacity,
                        int pending, int claimed, Pricing pricing, BillingPeriod currentPeriod, boolean cancelAtPeriodEnd,
                        ScheduledChange scheduledChange, StripeSubscription stripe, long version, Instant createdAt) {
}
