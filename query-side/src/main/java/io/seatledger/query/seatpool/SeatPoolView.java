package io.seatledger.query.seatpool;

import io.seatledger.messages.pricing.Pricing;
import io.seatledger.messages.seatpool.BillingInterval;
import io.seatledger.messages.seatpool.BillingPeriod;
import io.seatledger.messages.seatpool.PoolKind;
import io.seatledger.messages.seatpool.PoolStatus;
import io.seatledger.messages.seatpool.ScheduledChange;
import io.seatledger.messages.seatpool.StripeSubscription;

import java.time.Instant;

/** A seat pool as readers see it: its counts, terms and billing state at one version. */
public record SeatPoolView(String poolId, String orgId, PoolKind kind, PoolStatus status, BillingInterval interval,
                           int capacity, int pending, int claimed, Pricing pricing, BillingPeriod currentPeriod,
                           boolean cancelAtPeriodEnd, ScheduledChange scheduledChange, StripeSubscription stripe,
                           long version, Instant createdAt) {

    public int available() {
        return Math.max(0, capacity - pending - claimed);
    }

    /** Seats held beyond capacity: only after a provider forced the capacity below the seats in use. */
    public int overAllocated() {
        return Math.max(0, pending + claimed - capacity);
    }
}
