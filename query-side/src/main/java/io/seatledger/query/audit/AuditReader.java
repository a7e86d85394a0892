package io.seatledger.query.audit;

import io.r2dbc.spi.Readable;
import io.seatledger.query.Cursor;
import io.seatledger.query.Page;
import io.seatledger.query.TenantScope;
import io.seatledger.query.seatpool.PoolHistory.Actor;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads an organization's audit trail in position order: a page at a time, or all of it as a stream. */
@Component
public class AuditReader {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Rows fetched per round trip when streaming a whole trail (a server-side cursor, so memory stays flat). */
    private static final int STREAM_FETCH_SIZE = 500;

    private final TenantScope tenant;

    public AuditReader(TenantScope tenant) {
        this.tenant = tenant;
    }

    public Mono<Page<AuditEntry>> page(String orgId, AuditFilter filter, Integer limit) {
        int size = Cursor.limit(limit);
        return tenant.many(orgId, database -> query(database, orgId, filter, size + 1).map(AuditReader::entry).all())
                .collectList()
                .map(rows -> Page.of(rows, size, entry -> String.valueOf(entry.position())));
    }

    /** Every matching entry, streamed with back-pressure. */
    public Flux<AuditEntry> stream(String orgId, AuditFilter filter) {
        return tenant.many(orgId, database -> query(database, orgId, filter, null)
                .filter(statement -> statement.fetchSize(STREAM_FETCH_SIZE))
                .map(AuditReader::entry).all());
    }

    private static DatabaseClient.GenericExecuteSpec query(DatabaseClient database, String orgId, AuditFilter filter, Integer rows) {
        StringBuilder sql = new StringBuilder("""
                select position, occurred_at, actor_id, actor_roles, request_id, reason, action, object_type, object_id, pool_id, seat_id,
                    details::text as details, prev_hash, hash
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
        sql.append(" order by position");
        if (rows != null) {
            sql.append(" limit :rows");
        }
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
        if (rows != null) {
            query = query.bind("rows", rows);
        }
        return query;
    }

    private static AuditEntry entry(Readable row) {
        String roles = row.get("actor_roles", String.class);
        Set<String> roleSet = roles == null || roles.isEmpty() ? Set.of()
                : Arrays.stream(roles.split(",")).collect(Collectors.toCollection(java.util.TreeSet::new));
        return new AuditEntry(row.get("position", Long.class), row.get("occurred_at", OffsetDateTime.class).toInstant(),
                new Actor(row.get("actor_id", String.class), roleSet), row.get("request_id", String.class), row.get("reason", String.class),
                row.get("action", String.class), row.get("object_type", String.class), row.get("object_id", String.class),
                row.get("pool_id", String.class), row.get("seat_id", String.class), JSON.readTree(row.get("details", String.class)),
                row.get("prev_hash", String.class), row.get("hash", String.class));
    }
}
