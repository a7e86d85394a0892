package io.seatledger.projections.charge;

import io.seatledger.messages.pricing.Charge;
import io.seatledger.messages.seatpool.BillingPeriodRenewed;
import io.seatledger.messages.seatpool.PaymentRefunded;
import io.seatledger.messages.seatpool.SeatPoolPurchased;
import io.seatledger.messages.seatpool.SeatPoolResized;
import io.seatledger.projections.BatchedWrites;
import io.seatledger.projections.EventPosition;
import io.seatledger.projections.FailureIsolation;
import io.seatledger.projections.ReadModelSchema;
import io.seatledger.projections.SavepointPerEvent;
import io.seatledger.projections.seatpool.SeatPoolProjection;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.sql.Timestamp;
import java.time.Instant;

/**
 * {@code read_model.charges}: one row per charge line a pool's event carries (purchase, renewal, proration, refund), as
 * the pricing module computed it; events without one (a pool Stripe bills, events recorded before charges) add nothing.
 * A row is keyed by its event's position, so an event applies once. Part of the seat-pools processor: a read that waits
 * for a pool's position sees its charges too, and the pools' rebuild rebuilds them.
 */
@Component
@SavepointPerEvent
@ProcessingGroup(SeatPoolProjection.PROCESSOR)
public class ChargeProjection {

    /** What a line bills: the contract's kinds. */
    private enum Kind {
        PURCHASE, RENEWAL, PRORATION, REFUND;

        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final BatchedWrites writes;
    private final String insert;

    @Autowired
    public ChargeProjection(JdbcTemplate jdbc, FailureIsolation isolation) {
        this(jdbc, ReadModelSchema.LIVE, isolation);
    }

    /**
     * A projection writing the table of {@code schema}: the live read model, or a rebuild's shadow of it
     * ({@code isolation} null: a rebuild never isolates events, it fails as a whole).
     */
    public ChargeProjection(JdbcTemplate jdbc, String schema, FailureIsolation isolation) {
        this.writes = new BatchedWrites(jdbc, isolation, SeatPoolProjection.PROCESSOR);
        this.insert = """
                insert into %s.charges (position, charge_id, org_id, pool_id, kind, seats, amount, currency, period_start, period_end, occurred_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (position) do nothing""".formatted(schema);
    }

    @EventHandler
    void on(SeatPoolPurchased event, EventMessage<?> message, TrackingToken token) {
        record(event.orgId(), event.poolId(), Kind.PURCHASE, message.getIdentifier(), event.charge(), message, token);
    }

    @EventHandler
    void on(BillingPeriodRenewed event, EventMessage<?> message, TrackingToken token) {
        record(event.orgId(), event.poolId(), Kind.RENEWAL, message.getIdentifier(), event.charge(), message, token);
    }

    @EventHandler
    void on(SeatPoolResized event, EventMessage<?> message, TrackingToken token) {
        record(event.orgId(), event.poolId(), Kind.PRORATION, message.getIdentifier(), event.charge(), message, token);
    }

    /** A refund is of a payment Stripe took: its line carries Stripe's charge id. */
    @EventHandler
    void on(PaymentRefunded event, EventMessage<?> message, TrackingToken token) {
        record(event.orgId(), event.poolId(), Kind.REFUND, event.chargeId(), event.charge(), message, token);
    }

    private void record(String orgId, String poolId, Kind kind, String chargeId, Charge charge, EventMessage<?> message, TrackingToken token) {
        if (charge == null) {
            return;
        }
        writes.write(insert, EventPosition.of(token), chargeId, orgId, poolId, kind.wireName(), charge.seats(), charge.amount(), charge.currency(),
                ts(charge.periodStart()), ts(charge.periodEnd()), ts(message.getTimestamp()));
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
