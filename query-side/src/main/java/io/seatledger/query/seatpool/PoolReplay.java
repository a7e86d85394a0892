package io.seatledger.query.seatpool;

import io.seatledger.messages.seatpool.*;

/**
 * A pool's state folded from its events, for "as of" reads: the same facts the read model applies,
 * computed in memory from the event store rather than read from a table. Holds no rule: each event says
 * what happened (a revoked seat says whether it was pending or claimed).
 */
final class PoolReplay {

    private SeatPoolView pool;

    SeatPoolView state() {
        return pool;
    }

    void apply(Object event, long version) {
        if (event instanceof SeatPoolPurchased e) {
            pool = new SeatPoolView(e.poolId(), e.orgId(), e.kind(), e.status(), e.interval(), e.capacity(), 0, 0, e.pricing(),
                    e.currentPeriod(), false, null, e.stripe(), version, e.purchasedAt());
            return;
        }
        if (pool == null) {
            return;
        }
        pool = next(pool, event, version);
    }

    private static SeatPoolView next(SeatPoolView p, Object event, long version) {
        if (event instanceof SeatPoolActivated e) {
            return with(p, PoolStatus.ACTIVE, p.capacity(), p.pending(), p.claimed(), e.currentPeriod(), p.cancelAtPeriodEnd(),
                    p.scheduledChange(), e.stripe(), p.interval(), version);
        }
        if (event instanceof SeatAssigned) {
            return counts(p, p.pending() + 1, p.claimed(), version);
        }
        if (event instanceof SeatClaimed) {
            return counts(p, p.pending() - 1, p.claimed() + 1, version);
        }
        if (event instanceof SeatRevoked e) {
            return e.previousStatus() == SeatStatus.CLAIMED ? counts(p, p.pending(), p.claimed() - 1, version)
                    : counts(p, p.pending() - 1, p.claimed(), version);
        }
        if (event instanceof SeatExpired) {
            return counts(p, p.pending() - 1, p.claimed(), version);
        }
        if (event instanceof SeatTransferred e && e.previousStatus() == SeatStatus.CLAIMED) {
            return counts(p, p.pending() + 1, p.claimed() - 1, version);
        }
        if (event instanceof SeatPoolResized e) {
            return capacity(p, e.capacity(), version);
        }
        if (event instanceof SeatCapacityForced e) {
            return with(p, p.status(), e.capacity(), p.pending(), p.claimed(), p.currentPeriod(), p.cancelAtPeriodEnd(), null,
                    p.stripe(), p.interval(), version);
        }
        if (event instanceof CheckoutSessionOpened e) {
            StripeSubscription known = p.stripe();
            StripeSubscription stripe = known == null ? new StripeSubscription(null, null, null, e.checkoutSessionId())
                    : new StripeSubscription(known.customerId(), known.subscriptionId(), known.subscriptionItemId(), e.checkoutSessionId());
            return with(p, p.status(), p.capacity(), p.pending(), p.claimed(), p.currentPeriod(), p.cancelAtPeriodEnd(), p.scheduledChange(),
                    stripe, p.interval(), version);
        }
        if (event instanceof SeatPoolCancellationWithdrawn) {
            return with(p, p.status(), p.capacity(), p.pending(), p.claimed(), p.currentPeriod(), false, p.scheduledChange(), p.stripe(),
                    p.interval(), version);
        }
        if (event instanceof SeatPoolResizeScheduled e) {
            return with(p, p.status(), p.capacity(), p.pending(), p.claimed(), p.currentPeriod(), p.cancelAtPeriodEnd(),
                    new ScheduledChange(e.seats(), e.effectiveAt()), p.stripe(), p.interval(), version);
        }
        if (event instanceof ScheduledResizeReplaced) {
            return with(p, p.status(), p.capacity(), p.pending(), p.claimed(), p.currentPeriod(), p.cancelAtPeriodEnd(), null,
                    p.stripe(), p.interval(), version);
        }
        if (event instanceof BillingIntervalChanged e) {
            return with(p, p.status(), p.capacity(), p.pending(), p.claimed(), p.currentPeriod(), p.cancelAtPeriodEnd(),
                    p.scheduledChange(), p.stripe(), e.interval(), version);
        }
        if (event instanceof BillingPeriodRenewed e) {
            return with(p, p.status(), p.capacity(), p.pending(), p.claimed(), e.period(), p.cancelAtPeriodEnd(), null, p.stripe(),
                    p.interval(), version);
        }
        if (event instanceof SeatPoolWentPastDue) {
            return status(p, PoolStatus.PAST_DUE, version);
        }
        if (event instanceof SeatPoolPaymentRecovered) {
            return status(p, PoolStatus.ACTIVE, version);
        }
        if (event instanceof SeatPoolSuspended) {
            return status(p, PoolStatus.SUSPENDED, version);
        }
        if (event instanceof SeatPoolSuspensionLifted e) {
            return status(p, e.status(), version);
        }
        if (event instanceof SeatPoolCancellationScheduled) {
            return with(p, p.status(), p.capacity(), p.pending(), p.claimed(), p.currentPeriod(), true, p.scheduledChange(), p.stripe(),
                    p.interval(), version);
        }
        if (event instanceof SeatPoolCanceled) {
            return with(p, PoolStatus.CANCELED, p.capacity(), p.pending(), p.claimed(), p.currentPeriod(), false, null, p.stripe(),
                    p.interval(), version);
        }
        return counts(p, p.pending(), p.claimed(), version);
    }

    private static SeatPoolView counts(SeatPoolView p, int pending, int claimed, long version) {
        return with(p, p.status(), p.capacity(), pending, claimed, p.currentPeriod(), p.cancelAtPeriodEnd(), p.scheduledChange(),
                p.stripe(), p.interval(), version);
    }

    private static SeatPoolView capacity(SeatPoolView p, int capacity, long version) {
        return with(p, p.status(), capacity, p.pending(), p.claimed(), p.currentPeriod(), p.cancelAtPeriodEnd(), p.scheduledChange(),
                p.stripe(), p.interval(), version);
    }

    private static SeatPoolView status(SeatPoolView p, PoolStatus status, long version) {
        return with(p, status, p.capacity(), p.pending(), p.claimed(), p.currentPeriod(), p.cancelAtPeriodEnd(), p.scheduledChange(),
                p.stripe(), p.interval(), version);
    }

    private static SeatPoolView with(SeatPoolView p, PoolStatus status, int capacity, int pending, int claimed, BillingPeriod period,
                                     boolean cancelAtPeriodEnd, ScheduledChange scheduled, StripeSubscription stripe,
                                     BillingInterval interval, long version) {
        return new SeatPoolView(p.poolId(), p.orgId(), p.kind(), status, interval, capacity, pending, claimed, p.pricing(), period,
                cancelAtPeriodEnd, scheduled, stripe, version, p.createdAt());
    }
}
