package io.seatledger.api.seatpool;

import io.seatledger.messages.pricing.Pricing;
import io.seatledger.messages.seatpool.BillingInterval;
import io.seatledger.messages.seatpool.BillingPeriod;
import io.seatledger.messages.seatpool.PoolKind;
import io.seatledger.messages.seatpool.PoolState;
import io.seatledger.messages.seatpool.PoolStatus;
import io.seatledger.messages.seatpool.ScheduledChange;
import io.seatledger.messages.seatpool.StripeSubscription;
import io.seatledger.query.Page;
import io.seatledger.query.seatpool.SeatPoolView;

import static io.seatledger.api.seat.SeatResource.micros;

import java.time.Instant;
import java.util.List;

/** The contract's {@code SeatPool}. */
public record SeatPoolResource(String poolId, String orgId, PoolKind kind, PoolStatus status, BillingInterval interval, int capacity,
                               int pending, int claimed, int available, int overAllocated, Pricing pricing, BillingPeriod currentPeriod,
                               boolean cancelAtPeriodEnd, ScheduledChange scheduledChange, StripeSubscription stripe, long version,
                               Instant createdAt) {

    public static SeatPoolResource of(SeatPoolView pool) {
        return new SeatPoolResource(pool.poolId(), pool.orgId(), pool.kind(), pool.status(), pool.interval(), pool.capacity(), pool.pending(),
                pool.claimed(), pool.available(), pool.overAllocated(), pool.pricing(), pool.currentPeriod(), pool.cancelAtPeriodEnd(),
                pool.scheduledChange(), pool.stripe(), pool.version(), pool.createdAt());
    }

    /**
     * The pool as the write model holds it after a command: the same fields as the read model shows (counts derived
     * the same way), times at the read model's precision (microseconds).
     */
    public static SeatPoolResource of(PoolState pool) {
        return new SeatPoolResource(pool.poolId(), pool.orgId(), pool.kind(), pool.status(), pool.interval(), pool.capacity(), pool.pending(),
                pool.claimed(), Math.max(0, pool.capacity() - pool.pending() - pool.claimed()),
                Math.max(0, pool.pending() + pool.claimed() - pool.capacity()), pool.pricing(),
                pool.currentPeriod() == null ? null : new BillingPeriod(micros(pool.currentPeriod().start()), micros(pool.currentPeriod().end())),
                pool.cancelAtPeriodEnd(),
                pool.scheduledChange() == null ? null : new ScheduledChange(pool.scheduledChange().seats(), micros(pool.scheduledChange().effectiveAt())),
                pool.stripe(), pool.version(), micros(pool.createdAt()));
    }

    /** A page of pools: {@code {items, next}}. */
    public record PoolPage(List<SeatPoolResource> items, String next) {
        public static PoolPage of(Page<SeatPoolView> page) {
            return new PoolPage(page.items().stream().map(SeatPoolResource::of).toList(), page.next());
        }
    }
}
