package io.seatledger.billing.reconciliation;

import io.seatledger.messages.seatpool.*;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;

import java.util.HashMap;
import java.util.Map;

/**
 * A pool's counts folded straight from its stored events, apart from every projection: the oracle the
 * read model, the Redis counters and Stripe are compared with. Stripe bills the capacity until a change scheduled
 * for the period's end takes effect (pools scheduled before that rule sent the scheduled quantity at once, so
 * that quantity is Stripe's too); {@code resizeInFlight} while our own resize waits for Stripe; {@code unpaid}
 * while the pool is suspended because Stripe stopped collecting a renewal.
 */
public record PoolRecount(String poolId, String orgId, int capacity, int pending, int claimed, PoolStatus status, Integer scheduledSeats,
                          boolean resizeInFlight, boolean unpaid, long version) {

    /** Folds every event of the pool from its first: never a snapshot, which is the write model's view, not an oracle. */
    public static PoolRecount of(EventStore events, String poolId) {
        Fold fold = new Fold();
        events.readEvents(poolId, 0).asStream().forEach(fold::apply);
        return new PoolRecount(poolId, fold.orgId, fold.capacity, count(fold.seats, SeatStatus.PENDING), count(fold.seats, SeatStatus.CLAIMED),
                fold.status, fold.scheduledSeats, fold.resizeInFlight, fold.unpaid, fold.version);
    }

    public boolean exists() {
        return status != null;
    }

    public int billedSeats() {
        return capacity;
    }

    /** Whether Stripe's quantity is one the pool expects it to bill now. */
    public boolean bills(int quantity) {
        return quantity == capacity || scheduledSeats != null && quantity == scheduledSeats;
    }

    public int occupied() {
        return pending + claimed;
    }

    /** capacity, pending, claimed (integers) and status (name), keyed as the read model's columns. */
    public Map<String, Object> asRow() {
        return Map.of("capacity", capacity, "pending", pending, "claimed", claimed, "status", status == null ? "" : status.name());
    }

    private static int count(Map<String, SeatStatus> seats, SeatStatus status) {
        return (int) seats.values().stream().filter(s -> s == status).count();
    }

    private static final class Fold {
        String orgId;
        int capacity;
        PoolStatus status;
        Integer scheduledSeats;
        boolean resizeInFlight;
        boolean unpaid;
        long version = -1;
        final Map<String, SeatStatus> seats = new HashMap<>();

        void apply(DomainEventMessage<?> message) {
            version = message.getSequenceNumber();
            Object event = message.getPayload();
            if (event instanceof SeatPoolPurchased e) {
                orgId = e.orgId();
                capacity = e.capacity();
                status = e.status();
            } else if (event instanceof SeatPoolActivated || event instanceof SeatPoolPaymentRecovered) {
                status = PoolStatus.ACTIVE;
            } else if (event instanceof SeatPoolWentPastDue) {
                status = PoolStatus.PAST_DUE;
            } else if (event instanceof SeatPoolSuspended e) {
                status = PoolStatus.SUSPENDED;
                unpaid |= e.cause() == SuspensionCause.UNPAID;
            } else if (event instanceof SeatPoolSuspensionLifted e) {
                status = e.status();
                unpaid &= e.cause() != SuspensionCause.UNPAID;
            } else if (event instanceof SeatPoolCanceled) {
                status = PoolStatus.CANCELED;
                unpaid = false;
                scheduledSeats = null;
                resizeInFlight = false;
            } else if (event instanceof SeatPoolResizeRequested) {
                resizeInFlight = true;
            } else if (event instanceof SeatPoolResizeFailed) {
                resizeInFlight = false;
            } else if (event instanceof ScheduledResizeReplaced) {
                scheduledSeats = null;
            } else if (event instanceof SeatPoolResizeScheduled e) {
                scheduledSeats = e.seats();
                resizeInFlight = false;
            } else if (event instanceof SeatPoolResized e) {
                capacity = e.capacity();
                resizeInFlight = false;
            } else if (event instanceof SeatCapacityForced e) {
                capacity = e.capacity();
                scheduledSeats = null;
                resizeInFlight = false;
            } else if (event instanceof BillingPeriodRenewed) {
                scheduledSeats = null;
            } else if (event instanceof SeatAssigned e) {
                seats.put(e.seatId(), SeatStatus.PENDING);
            } else if (event instanceof SeatClaimed e) {
                seats.put(e.seatId(), SeatStatus.CLAIMED);
            } else if (event instanceof SeatRevoked e) {
                seats.put(e.seatId(), SeatStatus.REVOKED);
            } else if (event instanceof SeatExpired e) {
                seats.put(e.seatId(), SeatStatus.EXPIRED);
            } else if (event instanceof SeatTransferred e) {
                seats.put(e.fromSeatId(), SeatStatus.REVOKED);
                seats.put(e.toSeatId(), SeatStatus.PENDING);
            }
        }
    }
}
