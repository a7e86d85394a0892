package io.seatledger.projections.seatpool;

import io.seatledger.projections.ErasedAddresses;
import io.seatledger.messages.seatpool.*;
import io.seatledger.projections.EventPosition;
import io.seatledger.projections.SavepointPerEvent;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import io.seatledger.projections.BatchedWrites;
import io.seatledger.projections.FailureIsolation;
import io.seatledger.projections.ReadModelSchema;
import io.seatledger.readmodel.PoolsInService;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code read_model.seat_pools}, {@code read_model.seats} and {@code read_model.org_usage}: each pool with its
 * counts, each seat, and each organization's usage over its pools in service.
 * Counts follow the events' facts (a revoked seat says what it was); no rule is decided here. Every
 * statement is guarded by the row's last applied position, so an event applies at most once per row.
 */
@Component
@SavepointPerEvent
@ProcessingGroup(SeatPoolProjection.PROCESSOR)
public class SeatPoolProjection {

    public static final String PROCESSOR = "seat-pools";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JdbcTemplate jdbc;
    private final ErasedAddresses addresses;
    private final BatchedWrites writes;
    private final String pools;
    private final String seats;
    private final String insertPool;
    private final BatchedWrites.Rows assignSeats;
    private final String insertTransferredSeat;
    private final String recountUsage;

    @Autowired
    public SeatPoolProjection(JdbcTemplate jdbc, FailureIsolation isolation, ErasedAddresses addresses) {
        this(jdbc, ReadModelSchema.LIVE, isolation, addresses);
    }

    /**
     * A projection writing the tables of {@code schema}: the live read model, or a rebuild's shadow of it
     * ({@code isolation} null: a rebuild never isolates events, it fails as a whole).
     */
    public SeatPoolProjection(JdbcTemplate jdbc, String schema, FailureIsolation isolation, ErasedAddresses addresses) {
        this.jdbc = jdbc;
        this.addresses = addresses;
        this.writes = new BatchedWrites(jdbc, isolation, PROCESSOR);
        this.pools = schema + ".seat_pools";
        this.seats = schema + ".seats";
        String usage = schema + ".org_usage";
        this.insertPool = """
                insert into %s (pool_id, org_id, kind, status, billing_interval, capacity, pricing,
                    period_start, period_end, stripe, created_at, version, position)
                values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?::jsonb, ?, ?, ?) on conflict (pool_id) do nothing""".formatted(pools);
        this.assignSeats = assignSeats(schema);
        this.insertTransferredSeat = """
                insert into %1$s (seat_id, pool_id, org_id, status, email, assigned_at, expires_at, metadata, invitation_token_hash, position)
                select ?, pool_id, org_id, 'PENDING', ?, ?, ?, metadata, ?, ? from %1$s where seat_id = ?
                on conflict (seat_id) do nothing""".formatted(seats);
        this.recountUsage = """
                insert into %1$s (org_id, capacity, pending, claimed, available, pools, position)
                select ?, coalesce(sum(capacity), 0), coalesce(sum(pending), 0), coalesce(sum(claimed), 0),
                    coalesce(sum(greatest(0, capacity - pending - claimed)), 0), count(*), ?
                from %2$s where org_id = ? and %3$s
                on conflict (org_id) do update set capacity = excluded.capacity, pending = excluded.pending, claimed = excluded.claimed,
                    available = excluded.available, pools = excluded.pools, position = greatest(%1$s.position, excluded.position)"""
                .formatted(usage, pools, PoolsInService.SQL);
    }

    @EventHandler
    void on(SeatPoolPurchased event, @SequenceNumber long version, TrackingToken token) {
        BillingPeriod period = event.currentPeriod();
        writes.write(insertPool,
                event.poolId(), event.orgId(), event.kind().name(), event.status().name(), name(event.interval()), event.capacity(),
                json(event.pricing()), period == null ? null : ts(period.start()), period == null ? null : ts(period.end()),
                json(event.stripe()), ts(event.purchasedAt()), version, EventPosition.of(token));
        recountUsage(event.orgId(), token);
    }

    @EventHandler
    void on(SeatPoolActivated event, @SequenceNumber long version, TrackingToken token) {
        BillingPeriod period = event.currentPeriod();
        updatePoolAndUsage(event.orgId(), event.poolId(), version, token, "status = 'ACTIVE', period_start = ?, period_end = ?, stripe = ?::jsonb",
                period == null ? null : ts(period.start()), period == null ? null : ts(period.end()), json(event.stripe()));
    }

    /**
     * Seat assignments, the most frequent event and a bulk import's ten thousand, as rows of one statement: every
     * seat inserted, and each pool's row updated once for all its assignments the row has not applied yet, with the
     * live feed's counts after each of them ({@code pool_changes}, one row per event as the trigger writes for the
     * others).
     */
    private static BatchedWrites.Rows assignSeats(String schema) {
        String assigned = """
                with assigned as (
                    select * from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::jsonb[], ?::text[],
                            ?::bigint[], ?::bigint[])
                        as a(seat_id, pool_id, org_id, email, assigned_at, expires_at, metadata, invitation_token_hash, version, position)
                ), new_seats as (
                    insert into %1$s.seats (seat_id, pool_id, org_id, status, email, assigned_at, expires_at, metadata, invitation_token_hash, position)
                    select seat_id, pool_id, org_id, 'PENDING', email, assigned_at, expires_at, metadata, invitation_token_hash, position from assigned
                    on conflict (seat_id) do nothing
                ), before as (
                    select pool_id, position, pending from %1$s.seat_pools where pool_id in (select pool_id from assigned) for update
                ), applied as (
                    select a.pool_id, a.version, a.position, b.pending + row_number() over (partition by a.pool_id order by a.position) as pending
                    from assigned a join before b on b.pool_id = a.pool_id
                    where a.position > b.position
                )""".formatted(schema);
        String updatePools = """
                update %1$s.seat_pools p set pending = last.pending, version = last.version, position = last.position
                from (select distinct on (pool_id) pool_id, version, position, pending from applied order by pool_id, position desc) last
                where p.pool_id = last.pool_id""".formatted(schema);
        if (!ReadModelSchema.LIVE.equals(schema)) {
            // a rebuild's shadow tables have no feed
            return new BatchedWrites.Rows(assigned + "\n" + updatePools, 10);
        }
        return new BatchedWrites.Rows(assigned + ", pools as (" + updatePools + """
                 returning p.pool_id, p.org_id, p.status, p.capacity, p.claimed)
                insert into read_model.pool_changes (position, org_id, pool_id, status, capacity, pending, claimed)
                select a.position, p.org_id, p.pool_id, p.status, p.capacity, a.pending, p.claimed from applied a join pools p on p.pool_id = a.pool_id
                on conflict (position) do nothing""", 10);
    }

    @EventHandler
    void on(SeatAssigned event, @SequenceNumber long version, TrackingToken token) {
        writes.writeRow(assignSeats, event.seatId(), event.poolId(), event.orgId(), addresses.shown(event.orgId(), event.email()), event.assignedAt(), event.expiresAt(),
                json(event.metadata()), event.invitationTokenHash(), version, EventPosition.of(token));
        recountUsage(event.orgId(), token);
    }

    @EventHandler
    void on(InvitationReissued event, @SequenceNumber long version, TrackingToken token) {
        updateSeat(event.seatId(), token, "expires_at = ?, invitation_token_hash = ?", ts(event.expiresAt()), event.invitationTokenHash());
        updatePool(event.poolId(), version, token, null);
    }

    @EventHandler
    void on(SeatClaimed event, @SequenceNumber long version, TrackingToken token) {
        updateSeat(event.seatId(), token, "status = 'CLAIMED', holder_user_id = ?, claimed_at = ?, expires_at = null, invitation_token_hash = null",
                event.holderUserId(), ts(event.claimedAt()));
        updatePoolAndUsage(event.orgId(), event.poolId(), version, token, "pending = pending - 1, claimed = claimed + 1");
    }

    @EventHandler
    void on(SeatRevoked event, @SequenceNumber long version, TrackingToken token) {
        updateSeat(event.seatId(), token, "status = 'REVOKED', revoked_at = ?, expires_at = null, invitation_token_hash = null", ts(event.revokedAt()));
        updatePoolAndUsage(event.orgId(), event.poolId(), version, token, freed(event.previousStatus()));
    }

    @EventHandler
    void on(SeatExpired event, @SequenceNumber long version, TrackingToken token) {
        updateSeat(event.seatId(), token, "status = 'EXPIRED', expires_at = null");
        updatePoolAndUsage(event.orgId(), event.poolId(), version, token, "pending = pending - 1");
    }

    @EventHandler
    void on(SeatTransferred event, @SequenceNumber long version, TrackingToken token) {
        updateSeat(event.fromSeatId(), token, "status = 'REVOKED', revoked_at = ?, expires_at = null, invitation_token_hash = null", ts(event.transferredAt()));
        writes.write(insertTransferredSeat,
                event.toSeatId(), addresses.shown(event.orgId(), event.toEmail()), ts(event.transferredAt()), ts(event.expiresAt()), event.invitationTokenHash(), EventPosition.of(token),
                event.fromSeatId());
        // The new seat is pending whatever the old one was: only a claimed seat's transfer moves a count.
        if (event.previousStatus() == SeatStatus.CLAIMED) {
            updatePoolAndUsage(event.orgId(), event.poolId(), version, token, "claimed = claimed - 1, pending = pending + 1");
        } else {
            updatePool(event.poolId(), version, token, null);
        }
    }

    @EventHandler
    void on(SeatPoolResized event, @SequenceNumber long version, TrackingToken token) {
        updatePoolAndUsage(event.orgId(), event.poolId(), version, token, "capacity = ?, requested_seats = null", event.capacity());
    }

    @EventHandler
    void on(SeatPoolResizeScheduled event, @SequenceNumber long version, TrackingToken token) {
        updatePool(event.poolId(), version, token, "scheduled_seats = ?, scheduled_effective_at = ?, requested_seats = null",
                event.seats(), ts(event.effectiveAt()));
    }

    @EventHandler
    void on(ScheduledResizeReplaced event, @SequenceNumber long version, TrackingToken token) {
        updatePool(event.poolId(), version, token, "scheduled_seats = null, scheduled_effective_at = null");
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
        updatePoolAndUsage(event.orgId(), event.poolId(), version, token,
                "capacity = ?, requested_seats = null, scheduled_seats = null, scheduled_effective_at = null", event.capacity());
    }

    @EventHandler
    void on(CheckoutSessionOpened event, @SequenceNumber long version, TrackingToken token) {
        updatePool(event.poolId(), version, token, "stripe = coalesce(stripe, '{}'::jsonb) || jsonb_build_object('checkoutSessionId', ?::text)",
                event.checkoutSessionId());
    }

    @EventHandler
    void on(SeatPoolCancellationWithdrawn event, @SequenceNumber long version, TrackingToken token) {
        updatePool(event.poolId(), version, token, "cancel_at_period_end = false");
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
        updatePoolAndUsage(event.orgId(), event.poolId(), version, token, "status = 'PAST_DUE', grace_ends_at = ?, grace_expired = false",
                ts(event.graceEndsAt()));
    }

    @EventHandler
    void on(SeatPoolGraceExpired event, @SequenceNumber long version, TrackingToken token) {
        updatePoolAndUsage(event.orgId(), event.poolId(), version, token, "grace_expired = true");
    }

    @EventHandler
    void on(SeatPoolPaymentRecovered event, @SequenceNumber long version, TrackingToken token) {
        updatePoolAndUsage(event.orgId(), event.poolId(), version, token, "status = 'ACTIVE', grace_ends_at = null, grace_expired = false");
    }

    @EventHandler
    void on(SeatPoolSuspended event, @SequenceNumber long version, TrackingToken token) {
        updatePoolAndUsage(event.orgId(), event.poolId(), version, token, "status = 'SUSPENDED', grace_ends_at = null, grace_expired = false");
    }

    @EventHandler
    void on(SeatPoolSuspensionLifted event, @SequenceNumber long version, TrackingToken token) {
        updatePoolAndUsage(event.orgId(), event.poolId(), version, token, "status = ?", event.status().name());
    }

    @EventHandler
    void on(PaymentRefunded event, @SequenceNumber long version, TrackingToken token) {
        updatePool(event.poolId(), version, token, null);
    }

    @EventHandler
    void on(SeatPoolCancellationScheduled event, @SequenceNumber long version, TrackingToken token) {
        updatePool(event.poolId(), version, token, "cancel_at_period_end = true");
    }

    @EventHandler
    void on(SeatPoolCanceled event, @SequenceNumber long version, TrackingToken token) {
        updatePoolAndUsage(event.orgId(), event.poolId(), version, token,
                "status = 'CANCELED', cancel_at_period_end = false, scheduled_seats = null, scheduled_effective_at = null, requested_seats = null");
    }

    private static String freed(SeatStatus previousStatus) {
        return previousStatus == SeatStatus.CLAIMED ? "claimed = claimed - 1" : "pending = pending - 1";
    }

    /** Updates the pool, then recounts its organization's usage (a no-op recount if the update was). */
    private void updatePoolAndUsage(String orgId, String poolId, long version, TrackingToken token, String assignments, Object... arguments) {
        updatePool(poolId, version, token, assignments, arguments);
        recountUsage(orgId, token);
    }

    /** Applies {@code assignments} (may be null: only the version moves) once, if the event is newer than the row. */
    private void updatePool(String poolId, long version, TrackingToken token, String assignments, Object... arguments) {
        long position = EventPosition.of(token);
        String set = (assignments == null ? "" : assignments + ", ") + "version = ?, position = ?";
        List<Object> values = new ArrayList<>(Arrays.asList(arguments));
        values.addAll(List.of(version, position, poolId, position));
        writes.write("update " + pools + " set " + set + " where pool_id = ? and position < ?", values.toArray());
    }

    /**
     * Recounts the organization's usage from its pools, once per batch and organization when the processor's
     * transaction is about to commit. A recount rather than a delta: it is right whatever was applied before,
     * and the processor sees an organization's events in order on one segment.
     */
    private void recountUsage(String orgId, TrackingToken token) {
        long position = EventPosition.of(token);
        if (!CurrentUnitOfWork.isStarted()) {
            jdbc.update(recountUsage, orgId, position, orgId);
            return;
        }
        UnitOfWork<?> batch = CurrentUnitOfWork.get().root();
        Map<String, Long> organizations = batch.getOrComputeResource(recountUsage, key -> {
            Map<String, Long> touched = new LinkedHashMap<>();
            batch.onPrepareCommit(committing -> touched.forEach((org, last) -> jdbc.update(recountUsage, org, last, org)));
            return touched;
        });
        organizations.merge(orgId, position, Math::max);
    }

    private void updateSeat(String seatId, TrackingToken token, String assignments, Object... arguments) {
        long position = EventPosition.of(token);
        List<Object> values = new ArrayList<>(Arrays.asList(arguments));
        values.addAll(List.of(position, seatId, position));
        writes.write("update " + seats + " set " + assignments + ", position = ? where seat_id = ? and position < ?", values.toArray());
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
