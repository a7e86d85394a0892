package io.seatledger.projections.audit;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.util.Objects;

/** Verifies an organization's audit chain: every entry's hash and its link to the entry before it. */
@Component
public class AuditChain {

    private final JdbcTemplate jdbc;

    public AuditChain(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The verdict on an organization's chain; {@code firstInvalidPosition} is null when it is intact. */
    public record Verification(boolean valid, long entries, String headHash, Long firstInvalidPosition) {
    }

    public Verification verify(String orgId) {
        long[] entries = {0};
        Long[] firstInvalid = {null};
        String[] head = {null};
        jdbc.query("""
                select position, prev_hash, hash, lag(hash) over (order by position) as previous_hash,
                    audit.entry_hash(prev_hash, position, org_id, occurred_at, actor_id, actor_roles, request_id, reason, action,
                        object_type, object_id, pool_id, seat_id, details) as recomputed
                from audit.entries where org_id = ? order by position""",
                row -> {
                    entries[0]++;
                    boolean linked = Objects.equals(row.getString("prev_hash"), row.getString("previous_hash"));
                    boolean untouched = row.getString("hash").equals(row.getString("recomputed"));
                    if (firstInvalid[0] == null && !(linked && untouched)) {
                        firstInvalid[0] = row.getLong("position");
                    }
                    head[0] = row.getString("hash");
                }, orgId);
        return new Verification(firstInvalid[0] == null, entries[0], head[0], firstInvalid[0]);
    }
}
