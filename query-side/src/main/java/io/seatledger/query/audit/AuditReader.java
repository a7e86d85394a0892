package io.seatledger.query.audit;

import io.r2dbc.spi.Readable;
import io.seatledger.query.Cursor;
import io.seatledger.query.Page;
import io.seatledger.query.TenantPermits;
import io.seatledger.query.TenantScope;
import io.seatledger.query.seatpool.PoolHistory.Actor;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Reads an organization's audit trail in position order: a page at a time, or all of it as an export. An export
 * reads page after page by position, each page in its own short transaction, and reads the next page only once
 * the client has taken the previous one: a slow client holds no connection, however long it reads. Each
 * organization runs a bounded number of exports at once.
 */
public class AuditReader {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** An export refused for the limit per organization suggests this wait: exports take seconds to minutes. */
    private static final Duration EXPORT_RETRY_AFTER = Duration.ofSeconds(5);

    private final TenantScope tenant;
    private final int exportPageSize;
    private final TenantPermits exports;

    public AuditReader(TenantScope tenant, int exportPageSize,
                       int exportsPerOrganization) {
        if (exportPageSize < 1) {
            throw new IllegalArgumentException("seatledger.audit.export-page-size must be at least 1");
        }
        this.tenant = tenant;
        this.exportPageSize = exportPageSize;
        this.exports = new TenantPermits("audit exports", exportsPerOrganization, EXPORT_RETRY_AFTER);
    }

    public Mono<Page<AuditEntry>> page(String orgId, AuditFilter filter, Integer limit) {
        int size = Cursor.limit(limit);
        return tenant.many(orgId, database -> query(database, orgId, filter, size + 1).map(AuditReader::entry).all())
                .collectList()
                .map(rows -> Page.of(rows, size, entry -> String.valueOf(entry.position())));
    }

    /**
     * Every matching entry, for an export: page by page (keyset on position), the next page read only when the
     * subscriber has asked for every entry of the one before. Refused with {@code RATE_LIMITED} when the
     * organization already runs its most exports at once.
     */
    public Flux<AuditEntry> stream(String orgId, AuditFilter filter) {
        return exports.limit(orgId, Flux.defer(() -> {
            AtomicReference<AuditFilter> next = new AtomicReference<>(filter);
            return Flux.<AuditFilter>generate(sink -> {
                        if (next.get() == null) {
                            sink.complete();
                        } else {
                            sink.next(next.get());
                        }
                    })
                    // prefetch 0: a page is asked for only once the page before has been taken to its last entry
                    .concatMap(pageFilter -> page(orgId, pageFilter).flatMapIterable(rows -> {
                        next.set(rows.size() < exportPageSize ? null : pageFilter.after(rows.get(rows.size() - 1).position()));
                        return rows;
                    }), 0);
        }));
    }

    /** Other work that reads a whole trail (verification), counted with the organization's exports. */
    public <T> Mono<T> asWholeTrailRead(String orgId, Mono<T> work) {
        return exports.limit(orgId, work);
    }

    /** How many exports {@code orgId} runs now. */
    public int exportsRunning(String orgId) {
        return exports.inUse(orgId);
    }

    private Mono<List<AuditEntry>> page(String orgId, AuditFilter filter) {
        return tenant.many(orgId, database -> query(database, orgId, filter, exportPageSize).map(AuditReader::entry).all()).collectList();
    }

    private static DatabaseClient.GenericExecuteSpec query(DatabaseClient database, String orgId, AuditFilter filter, int rows) {
        StringBuilder sql = new StringBuilder("""
                select position, org_id, aggregate_id, sequence, occurred_at, actor_id, actor_roles, request_id, reason, action, object_type,
                    object_id, pool_id, seat_id, details, prev_hash, hash
                from audit.entries where org_id = :org""");
        if (filter.after() != null) {
            sql.append(" and position > :after");
        }
        if (filter.from() != null) {
            sql.append(" and occurred_at >= :from");
        }
        if (filter.to() != null) {
            sql.append(" and occurred_at < :to");
        }
        if (filter.actor() != null) {
            sql.append(" and actor_id = :actor");
        }
        if (filter.action() != null) {
            sql.append(" and action = :action");
        }
        sql.append(" order by position limit :rows");
        DatabaseClient.GenericExecuteSpec query = database.sql(sql.toString()).bind("org", orgId);
        if (filter.after() != null) {
            query = query.bind("after", filter.after());
        }
        if (filter.from() != null) {
            query = query.bind("from", filter.from().atOffset(ZoneOffset.UTC));
        }
        if (filter.to() != null) {
            query = query.bind("to", filter.to().atOffset(ZoneOffset.UTC));
        }
        if (filter.actor() != null) {
            query = query.bind("actor", filter.actor());
        }
        if (filter.action() != null) {
            query = query.bind("action", filter.action());
        }
        return query.bind("rows", rows);
    }

    private static AuditEntry entry(Readable row) {
        String roles = row.get("actor_roles", String.class);
        Set<String> roleSet = roles == null || roles.isEmpty() ? Set.of()
                : Arrays.stream(roles.split(",")).collect(Collectors.toCollection(java.util.TreeSet::new));
        return new AuditEntry(row.get("position", Long.class), row.get("org_id", String.class), row.get("aggregate_id", String.class),
                row.get("sequence", Long.class), row.get("occurred_at", OffsetDateTime.class).toInstant(),
                new Actor(row.get("actor_id", String.class), roleSet), row.get("request_id", String.class), row.get("reason", String.class),
                row.get("action", String.class), row.get("object_type", String.class), row.get("object_id", String.class),
                row.get("pool_id", String.class), row.get("seat_id", String.class), JSON.readTree(row.get("details", String.class)),
                row.get("prev_hash", String.class), row.get("hash", String.class));
    }
}
