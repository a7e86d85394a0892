package io.seatledger.projections.seatpool;

import io.seatledger.messages.seatpool.*;
import io.seatledger.projections.EventPosition;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.TrackingToken;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code read_model.seat_pools} and {@code read_model.seats}: each pool with its counts, and each seat.
 * Counts follow the events' facts (a revoked seat says what it was); no rule is decided here. Every
 * statement is guarded by the row's last applied position, so an event applies at most once per row.
 */
@Component
@ProcessingGroup(SeatPoolProjection.PROCESSOR)
public class SeatPoolProjection {

    public static final String PROCESSOR = "seat-pools";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcTemplate jdbc;

    public SeatPoolProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(SeatPoolPurchased event, @SequenceNumber long version, TrackingToken token) {
        BillingPeriod period = event.currentPeriod();
        jdbc.update("""
                insert into read_model.seat_pools (pool_id, org_id, kind, status, billing_interval, capacity, pricing,
                    period_start, period_end, stripe, created_at, version, position)
                values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?::jsonb, ?, ?, ?) on conflict (pool_id) do nothing""",
                event.poolId(), event.orgId(), event.kind().name(), event.status().name(), name(event.interval()), event.capacity(),
                json(event.pricing()), period == null ? null : ts(period.start()), period == null ? null : ts(period.end()),
                json(event.stripe()), ts(event.purchasedAt()), version, EventPosition.of(token));
    }

    @EventHandler
    void on(SeatPoolActivated event, @SequenceNumber long version, TrackingToken token) {
        BillingPeriod period = event.currentPeriod();
        updatePool(event.poolId(), version, token, "status = 'ACTIVE', period_start = ?, period_end = ?, stripe = ?::jsonb",
                period == null ? null : ts(period.start()), period == null ? null : ts(period.end()), json(event.stripe()));
    }

    @EventHandler
    void on(SeatAssigned event, @SequenceNumber long version, TrackingToken token) {
        jdbc.update("""
                insert into read_model.seats (seat_id, pool_id, org_id, status, email, assigned_at, expires_at, metadata, position)
                values (?, ?, ?, 'PENDING', ?, ?, ?, ?::jsonb, ?) on conflict (seat_id) do nothing""",
                event.seatId(), event.poolId(), event.orgId(), event.email(), ts(event.assignedAt()), ts(event.expiresAt()),
                json(event.metadata()), EventPosition.of(token));
        updatePool(event.poolId(), version, token, "pending = pending + 1");
    }

    @EventHandler
    void on(InvitationReissued event, @SequenceNumber long version, TrackingToken token) {
        updateSeat(event.seatId(), token, "expires_at = ?", ts(event.expiresAt()));
        updatePool(event.poolId(), version, token, null);
    }

    @EventHandler
    void on(SeatClaimed event, @SequenceNumber long version, TrackingToken token) {
        updateSeat(event.seatId(), token, "status = 'CLAIMED', holder_user_id = ?, claimed_at = ?, expires_at = null",
                event.holderUserId(), ts(event.claimedAt()));
        updatePool(event.poolId(), version, token, "pending = pending - 1, claimed = claimed + 1");
    }

    @EventHandler
    void on(SeatRevoked event, @SequenceNumber long version, TrackingToken token) {
        updateSeat(event.seatId(), token, "status = 'REVOKED', revoked_at = ?, expires_at = null", ts(event.revokedAt()));
        updatePool(event.poolId(), version, token, freed(event.previousStatus()));
    }

    @EventHandler
    void on(SeatExpired event, @SequenceNumber long version, TrackingToken token) {
        updateSeat(event.seatId(), token, "status = 'EXPIRED', expires_at = null");
        updatePool(event.poolId(), version, token, "pending = pending - 1");
    }

    @EventHandler
    void on(SeatTransferred event, @SequenceNumber long version, TrackingToken token) {
        updateSeat(event.fromSeatId(), token, "status = 'REVOKED', revoked_at = ?, expires_at = null", ts(event.transferredAt()));
        jdbc.update("""
                insert into read_model.seats (seat_id, pool_id, org_id, status, email, assigned_at, expires_at, metadata, position)
                select ?, pool_id, org_id, 'PENDING', ?, ?, ?, metadata, ? from read_model.seats where seat_id = ?
                on conflict (seat_id) do nothing""",
                event.toSeatId(), event.toEmail(), ts(event.transferredAt()), ts(event.expiresAt()), EventPosition.of(token), event.fromSeatId());
        // The new seat is pending whatever the old one was: only a claimed seat's transfer moves a count.
        updatePool(event.poolId(), version, token,
                event.previousStatus() == SeatStatus.CLAIMED ? "claimed = claimed - 1, pending = pending + 1" : null);
    }

    @EventHandler
    void on(SeatPoolResized event, @SequenceNumber long version, TrackingToken token) {
        updatePool(event.poolId(), version, token, "capacity = ?, requested_seats = null", event.capacity());
    }

    @EventHandler
    void on(SeatPoolResizeScheduled event, @SequenceNumber long version, TrackingToken token) {
        updatePool(event.poolId(), version, token, "scheduled_seats = ?, scheduled_effective_at = ?, requested_seats = null",
                event.seats(), ts(event.effectiveAt()));
    }

    @EventHandler
    void on(SeatPoolResizeRequested event, @SequenceNumber long version, TrackingToken token) {
        updatePool(event.poolId(), version, token, "requested_seats = ?", event.seats());
    }

    @EventHandler
    void on(SeatPoolResizeFailed event, @SequenceNumber long version, TrackingToken token) {
        updatePool(event.poolId(), version, token, "requested_seats = null");
    }

    @EventHandler
    void on(SeatCapacityForced event, @SequenceNumber long version, TrackingToken token) {
        updatePool(event.poolId(), version, token, "capacity = ?, requested_seats = null", event.capacity());
    }

    @EventHandler
    void on(BillingIntervalChanged event, @SequenceNumber long version, TrackingToken token) {
        updatePool(event.poolId(), version, token, "billing_interval = ?", event.interval().name());
    }

    @EventHandler
    void on(BillingPeriodRenewed event, @SequenceNumber long version, TrackingToken token) {
        updatePool(event.poolId(), version, token, "period_start = ?, period_end = ?, scheduled_seats = null, scheduled_effective_at = null",
                ts(event.period().start()), ts(event.period().end()));
    }

    @EventHandler
    void on(SeatPoolWentPastDue event, @SequenceNumber long version, TrackingToken token) {
        updatePool(event.poolId(), version, token, "status = 'PAST_DUE', grace_ends_at = ?, grace_expired = false", ts(event.graceEndsAt()));
    }

    @EventHandler
    void on(SeatPoolGraceExpired event, @SequenceNumber long version, TrackingToken token) {
        updatePool(event.poolId(), version, token, "grace_expired = true");
    }

    @EventHandler
    void on(SeatPoolPaymentRecovered event, @SequenceNumber long version, TrackingToken token) {
        updatePool(event.poolId(), version, token, "status = 'ACTIVE', grace_ends_at = null, grace_expired = false");
    }

    @EventHandler
    void on(SeatPoolCancellationScheduled event, @SequenceNumber long version, TrackingToken token) {
        updatePool(event.poolId(), version, token, "cancel_at_period_end = true");
    }

    @EventHandler
    void on(SeatPoolCanceled event, @SequenceNumber long version, TrackingToken token) {
        updatePool(event.poolId(), version, token,
                "status = 'CANCELED', cancel_at_period_end = false, scheduled_seats = null, scheduled_effective_at = null, requested_seats = null");
    }

    private static String freed(SeatStatus previousStatus) {
        return previousStatus == SeatStatus.CLAIMED ? "claimed = claimed - 1" : "pending = pending - 1";
    }

    /** Applies {@code assignments} (may be null: only the version moves) once, if the event is newer than the row. */
    private void updatePool(String poolId, long version, TrackingToken token, String assignments, Object... arguments) {
        long position = EventPosition.of(token);
        String set = (assignments == null ? "" : assignments + ", ") + "version = ?, position = ?";
        List<Object> values = new ArrayList<>(Arrays.asList(arguments));
        values.addAll(List.of(version, position, poolId, position));
        jdbc.update("update read_model.seat_pools set " + set + " where pool_id = ? and position < ?", values.toArray());
    }

    private void updateSeat(String seatId, TrackingToken token, String assignments, Object... arguments) {
        long position = EventPosition.of(token);
        List<Object> values = new ArrayList<>(Arrays.asList(arguments));
        values.addAll(List.of(position, seatId, position));
        jdbc.update("update read_model.seats set " + assignments + ", position = ? where seat_id = ? and position < ?", values.toArray());
    }

    private static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }

    private static String json(Object value) {
        return value == null ? null : JSON.writeValueAsString(value);
    }
}
