package io.seatledger.query.seatpool;

import io.r2dbc.spi.Readable;
import io.seatledger.messages.pricing.Pricing;
import io.seatledger.messages.seatpool.BillingInterval;
import io.seatledger.messages.seatpool.BillingPeriod;
import io.seatledger.messages.seatpool.PoolKind;
import io.seatledger.messages.seatpool.PoolStatus;
import io.seatledger.messages.seatpool.ScheduledChange;
import io.seatledger.messages.seatpool.SeatStatus;
import io.seatledger.messages.seatpool.StripeSubscription;
import io.seatledger.query.Cursor;
import io.seatledger.query.Page;
import io.seatledger.query.TenantScope;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;

/** Reads pools and seats from the PostgreSQL read model, one organization at a time. */
@Component
public class SeatPoolReader {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, String>> METADATA = new TypeReference<>() {
    };
    private static final String POOL_COLUMNS = """
            pool_id, org_id, kind, status, billing_interval, capacity, pending, claimed, pricing::text as pricing, period_start,
            period_end, cancel_at_period_end, scheduled_seats, scheduled_effective_at, stripe::text as stripe, version, created_at""";
    private static final String SEAT_COLUMNS = """
            seat_id, pool_id, org_id, status, email, holder_user_id, assigned_at, claimed_at, revoked_at, expires_at,
            metadata::text as metadata""";

    private final TenantScope tenant;

    public SeatPoolReader(TenantScope tenant) {
        this.tenant = tenant;
    }

    public Mono<SeatPoolView> pool(String orgId, String poolId) {
        return tenant.one(orgId, database -> database.sql("select " + POOL_COLUMNS + " from read_model.seat_pools where org_id = :org and pool_id = :pool")
                .bind("org", orgId).bind("pool", poolId)
                .map(SeatPoolReader::pool).one());
    }

    /** The organization's pools, oldest first, optionally of one status. */
    public Mono<Page<SeatPoolView>> pools(String orgId, PoolStatus status, String cursor, Integer limit) {
        Cursor from = Cursor.decode(cursor);
        int size = Cursor.limit(limit);
        return tenant.many(orgId, database -> {
            DatabaseClient.GenericExecuteSpec query = database.sql("select " + POOL_COLUMNS + " from read_model.seat_pools where org_id = :org"
                            + (status == null ? "" : " and status = :status")
                            + (from == null ? "" : " and (created_at, pool_id) > (:after, :afterId)")
                            + " order by created_at, pool_id limit :rows")
                    .bind("org", orgId).bind("rows", size + 1);
            if (status != null) {
                query = query.bind("status", status.name());
            }
            if (from != null) {
                query = query.bind("after", from.after().atOffset(java.time.ZoneOffset.UTC)).bind("afterId", from.afterId());
            }
            return query.map(SeatPoolReader::pool).all();
        }).collectList().map(rows -> Page.of(rows, size, pool -> new Cursor(pool.createdAt(), pool.poolId()).encode()));
    }

    public Mono<SeatView> seat(String orgId, String poolId, String seatId) {
        return tenant.one(orgId, database -> database.sql("select " + SEAT_COLUMNS
                        + " from read_model.seats where org_id = :org and pool_id = :pool and seat_id = :seat")
                .bind("org", orgId).bind("pool", poolId).bind("seat", seatId)
                .map(SeatPoolReader::seat).one());
    }

    /** A pool's seats in the order they were assigned, optionally of one status. */
    public Mono<Page<SeatView>> seats(String orgId, String poolId, SeatStatus status, String cursor, Integer limit) {
        Cursor from = Cursor.decode(cursor);
        int size = Cursor.limit(limit);
        return tenant.many(orgId, database -> {
            DatabaseClient.GenericExecuteSpec query = database.sql("select " + SEAT_COLUMNS
                            + " from read_model.seats where org_id = :org and pool_id = :pool"
                            + (status == null ? "" : " and status = :status")
                            + (from == null ? "" : " and (assigned_at, seat_id) > (:after, :afterId)")
                            + " order by assigned_at, seat_id limit :rows")
                    .bind("org", orgId).bind("pool", poolId).bind("rows", size + 1);
            if (status != null) {
                query = query.bind("status", status.name());
            }
            if (from != null) {
                query = query.bind("after", from.after().atOffset(java.time.ZoneOffset.UTC)).bind("afterId", from.afterId());
            }
            return query.map(SeatPoolReader::seat).all();
        }).collectList().map(rows -> Page.of(rows, size, seat -> new Cursor(seat.assignedAt(), seat.seatId()).encode()));
    }

    private static SeatPoolView pool(Readable row) {
        Instant periodStart = instant(row, "period_start");
        Integer scheduledSeats = row.get("scheduled_seats", Integer.class);
        String interval = row.get("billing_interval", String.class);
        String stripe = row.get("stripe", String.class);
        return new SeatPoolView(row.get("pool_id", String.class), row.get("org_id", String.class),
                PoolKind.valueOf(row.get("kind", String.class)), PoolStatus.valueOf(row.get("status", String.class)),
                interval == null ? null : BillingInterval.valueOf(interval),
                row.get("capacity", Integer.class), row.get("pending", Integer.class), row.get("claimed", Integer.class),
                JSON.readValue(row.get("pricing", String.class), Pricing.class),
                periodStart == null ? null : new BillingPeriod(periodStart, instant(row, "period_end")),
                Boolean.TRUE.equals(row.get("cancel_at_period_end", Boolean.class)),
                scheduledSeats == null ? null : new ScheduledChange(scheduledSeats, instant(row, "scheduled_effective_at")),
                stripe == null || stripe.equals("null") ? null : JSON.readValue(stripe, StripeSubscription.class),
                row.get("version", Long.class), instant(row, "created_at"));
    }

    private static SeatView seat(Readable row) {
        return new SeatView(row.get("seat_id", String.class), row.get("pool_id", String.class), row.get("org_id", String.class),
                SeatStatus.valueOf(row.get("status", String.class)), row.get("email", String.class), row.get("holder_user_id", String.class),
                instant(row, "assigned_at"), instant(row, "claimed_at"), instant(row, "revoked_at"), instant(row, "expires_at"),
                JSON.readValue(row.get("metadata", String.class), METADATA));
    }

    static Instant instant(Readable row, String column) {
        OffsetDateTime value = row.get(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
