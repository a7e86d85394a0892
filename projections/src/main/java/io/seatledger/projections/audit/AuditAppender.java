package io.seatledger.projections.audit;

import io.seatledger.auditformat.CanonicalEntry;
import io.seatledger.auditformat.EntryHash;
import io.seatledger.projections.BatchedWrites;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Appends a batch of audit entries: one query for the heads (last sequence and hash) of every aggregate in the batch,
 * then each entry linked to its aggregate's entry at sequence - 1 and hashed in Java, then one insert for all. An
 * entry its aggregate already has (a redelivered event) is skipped; one that would skip a sequence fails the batch,
 * since the chain never has a gap of its own making, and so does one whose position another event's entry holds
 * (the table's key): two events at one position is a wrong position, never a duplicate to drop.
 */
final class AuditAppender implements BatchedWrites.Batch<AuditAppender.Append> {

    /** An entry to append (its chain not yet filled in) and its event's id, kept beside the hashed fields. */
    record Append(CanonicalEntry entry, String eventId) {
    }

    private record Head(long sequence, String hash) {
    }

    private final JdbcTemplate jdbc;
    private final BatchedWrites writes;
    private final String heads;
    private final BatchedWrites.Rows insert;

    AuditAppender(JdbcTemplate jdbc, BatchedWrites writes, String schema) {
        this.jdbc = jdbc;
        this.writes = writes;
        // schema names are ours (live or shadow), never input
        this.heads = "select a.id, h.sequence, h.hash from unnest(?::text[]) a(id) cross join lateral (select sequence, hash from "
                + schema + ".entries e where e.aggregate_id = a.id order by sequence desc limit 1) h";
        this.insert = new BatchedWrites.Rows("insert into " + schema + ".entries (position, org_id, aggregate_id, sequence, occurred_at,"
                + " actor_id, actor_roles, request_id, reason, action, object_type, object_id, pool_id, seat_id, details, event_id, prev_hash, hash)"
                + " select * from unnest(?::bigint[], ?::text[], ?::text[], ?::bigint[], ?::timestamptz[], ?::text[], ?::text[], ?::text[],"
                + " ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])", 18);
    }

    @Override
    public void write(List<Append> appends) {
        Map<String, Head> last = heads(appends);
        EntryHash hasher = new EntryHash();
        List<Object[]> rows = new ArrayList<>(appends.size());
        for (Append append : appends) {
            CanonicalEntry entry = append.entry();
            Head head = last.get(entry.aggregateId());
            long next = head == null ? 0 : head.sequence() + 1;
            if (entry.sequence() < next) {
                continue;
            }
            if (entry.sequence() > next) {
                throw new IllegalStateException("the audit trail of aggregate " + entry.aggregateId() + " ends before sequence "
                        + next + ", not before " + entry.sequence());
            }
            CanonicalEntry linked = entry.chained(head == null ? null : head.hash(), null);
            String hash = hasher.hex(linked);
            last.put(entry.aggregateId(), new Head(entry.sequence(), hash));
            rows.add(new Object[]{entry.position(), entry.orgId(), entry.aggregateId(), entry.sequence(), entry.occurredAt(), entry.actorId(),
                    entry.actorRoles(), entry.requestId(), entry.reason(), entry.action(), entry.objectType(), entry.objectId(), entry.poolId(),
                    entry.seatId(), entry.details(), append.eventId(), linked.prevHash(), hash});
        }
        if (!rows.isEmpty()) {
            writes.execute(insert, rows);
        }
    }

    private Map<String, Head> heads(List<Append> appends) {
        Set<String> aggregates = new LinkedHashSet<>();
        appends.forEach(append -> aggregates.add(append.entry().aggregateId()));
        Map<String, Head> found = new HashMap<>();
        jdbc.query(connection -> {
            PreparedStatement statement = connection.prepareStatement(heads);
            statement.setArray(1, connection.createArrayOf("text", aggregates.toArray()));
            return statement;
        }, row -> {
            found.put(row.getString(1), new Head(row.getLong(2), row.getString(3)));
        });
        return found;
    }
}
