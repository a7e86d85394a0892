package io.seatledger.query;

import io.seatledger.auditformat.CanonicalEntry;
import org.springframework.r2dbc.core.DatabaseClient;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Read-model rows as the projections write them, inserted by a test through the runtime login. Every row gets the next
 * global position of the JVM: positions key the live feed and the audit trail, so no two rows of a run share one.
 */
public final class ReadModelRows {

    private static final AtomicLong POSITIONS = new AtomicLong();
    private static final String PRICING = "{\"currency\":\"eur\",\"tiersMode\":\"VOLUME\",\"tiers\":[{\"upTo\":null,\"unitAmount\":1200,\"flatAmount\":0}]}";

    private final DatabaseClient database;

    public ReadModelRows(DatabaseClient database) {
        this.database = database;
    }

    public static long nextPosition() {
        return POSITIONS.incrementAndGet();
    }

    /** A monthly pool with per-seat pricing in euros, past due with its grace expired when {@code graceExpired}. */
    public void pool(String orgId, String poolId, String status, boolean graceExpired, int capacity, int pending, int claimed, Instant createdAt) {
        database.sql("""
                        insert into read_model.seat_pools (pool_id, org_id, kind, status, billing_interval, capacity, pending, claimed, pricing,
                            period_start, period_end, grace_expired, created_at, version, position)
                        values (:pool, :org, 'SUBSCRIPTION', :status, 'MONTH', :capacity, :pending, :claimed, cast(:pricing as jsonb),
                            :start, :end, :graceExpired, :created, 3, :position)""")
                .bind("pool", poolId).bind("org", orgId).bind("status", status).bind("capacity", capacity).bind("pending", pending)
                .bind("claimed", claimed).bind("pricing", PRICING).bind("start", utc(createdAt)).bind("end", utc(createdAt.plusSeconds(30 * 86_400)))
                .bind("graceExpired", graceExpired).bind("created", utc(createdAt)).bind("position", nextPosition())
                .then().block();
    }

    /** A seat; {@code holderUserId} is null unless it was claimed. */
    public void seat(String orgId, String poolId, String seatId, String status, String holderUserId, Instant assignedAt) {
        DatabaseClient.GenericExecuteSpec insert = database.sql("""
                        insert into read_model.seats (seat_id, pool_id, org_id, status, email, holder_user_id, assigned_at, metadata, position)
                        values (:seat, :pool, :org, :status, :email, :holder, :assigned, cast('{"team":"core"}' as jsonb), :position)""")
                .bind("seat", seatId).bind("pool", poolId).bind("org", orgId).bind("status", status).bind("email", seatId + "@example.com")
                .bind("assigned", utc(assignedAt)).bind("position", nextPosition());
        insert = holderUserId == null ? insert.bindNull("holder", String.class) : insert.bind("holder", holderUserId);
        insert.then().block();
    }

    public void usage(String orgId, int capacity, int pending, int claimed, int available, int pools) {
        database.sql("""
                        insert into read_model.org_usage (org_id, capacity, pending, claimed, available, pools, position)
                        values (:org, :capacity, :pending, :claimed, :available, :pools, :position)""")
                .bind("org", orgId).bind("capacity", capacity).bind("pending", pending).bind("claimed", claimed).bind("available", available)
                .bind("pools", pools).bind("position", nextPosition())
                .then().block();
    }

    /** An audit entry exactly as given (its chain and hash too): a test may store a forged one. */
    public void auditEntry(CanonicalEntry entry, String eventId) {
        DatabaseClient.GenericExecuteSpec insert = database.sql("""
                        insert into audit.entries (position, org_id, aggregate_id, sequence, occurred_at, actor_id, actor_roles, request_id, reason,
                            action, object_type, object_id, pool_id, seat_id, details, event_id, prev_hash, hash)
                        values (:position, :org, :aggregate, :sequence, :occurred, :actor, :roles, :request, :reason, :action, :objectType, :objectId,
                            :pool, :seat, :details, :event, :prevHash, :hash)""")
                .bind("position", entry.position()).bind("org", entry.orgId()).bind("aggregate", entry.aggregateId()).bind("sequence", entry.sequence())
                .bind("occurred", utc(entry.occurredAt())).bind("roles", entry.actorRoles()).bind("action", entry.action())
                .bind("objectType", entry.objectType()).bind("objectId", entry.objectId()).bind("details", entry.details()).bind("event", eventId)
                .bind("hash", entry.hash());
        insert = nullable(insert, "actor", entry.actorId());
        insert = nullable(insert, "request", entry.requestId());
        insert = nullable(insert, "reason", entry.reason());
        insert = nullable(insert, "pool", entry.poolId());
        insert = nullable(insert, "seat", entry.seatId());
        insert = nullable(insert, "prevHash", entry.prevHash());
        insert.then().block();
    }

    private static DatabaseClient.GenericExecuteSpec nullable(DatabaseClient.GenericExecuteSpec statement, String name, String value) {
        return value == null ? statement.bindNull(name, String.class) : statement.bind(name, value);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
