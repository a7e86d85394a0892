package io.seatledger.api.erasure;

import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The vault's record of erasures (by subject digest, one per subject and organization) and the destruction of
 * subject keys. Rows are never deleted: what was erased, when and at whose request stays on record.
 */
public class ErasureRecords {

    private final JdbcTemplate jdbc;

    public ErasureRecords(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** An erasure not yet done, with what is needed to finish it: never the address. */
    public record Pending(String orgId, String erasureId, String digest, String requestedBy, Set<String> requesterRoles) {
    }

    /** The subject's erasure, recorded now as pending unless one was requested before (then that one). */
    public Erasure request(String orgId, String digest, String requestedBy, Set<String> requesterRoles, Instant now) {
        jdbc.update("""
                insert into vault.erasures (erasure_id, org_id, subject_digest, requested_by, requester_roles, requested_at)
                values (?, ?, ?, ?, ?, ?) on conflict (org_id, subject_digest) do nothing""",
                UUID.randomUUID().toString(), orgId, digest, requestedBy, String.join(",", new TreeSet<>(requesterRoles)), Timestamp.from(now));
        return jdbc.queryForObject("select erasure_id, requested_at, completed_at from vault.erasures where org_id = ? and subject_digest = ?",
                (row, i) -> Erasure.of(row.getString(1), row.getTimestamp(2).toInstant(), instant(row.getTimestamp(3))), orgId, digest);
    }

    /** Erasures requested before {@code before} and not done yet, oldest first. */
    public List<Pending> pending(Instant before, int limit) {
        return jdbc.query("""
                        select org_id, erasure_id, subject_digest, requested_by, requester_roles from vault.erasures
                        where completed_at is null and requested_at < ? order by requested_at limit ?""",
                (row, i) -> new Pending(row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                        row.getString(5).isEmpty() ? Set.of() : Set.of(row.getString(5).split(","))),
                Timestamp.from(before), limit);
    }

    public Optional<Erasure> find(String orgId, String erasureId) {
        return jdbc.query("select erasure_id, requested_at, completed_at from vault.erasures where org_id = ? and erasure_id = ?",
                (row, i) -> Erasure.of(row.getString(1), row.getTimestamp(2).toInstant(), instant(row.getTimestamp(3))), orgId, erasureId)
                .stream().findFirst();
    }

    /** Whether this subject of this organization was erased (or its erasure is under way). */
    public boolean isErased(String orgId, String digest) {
        return Boolean.TRUE.equals(jdbc.queryForObject("select exists (select 1 from vault.erasures where org_id = ? and subject_digest = ?)",
                Boolean.class, orgId, digest));
    }

    /**
     * Destroys the subject's data key; the row stays, keyless, as the record that it was destroyed. A subject without a
     * key yet gets a keyless row, so that no key can be made for it afterwards.
     */
    public void destroyKey(String orgId, String digest, Instant now) {
        jdbc.update("""
                insert into vault.subject_keys (org_id, subject_digest, key_id, wrapped_key, erased_at) values (?, ?, ?, null, ?)
                on conflict (org_id, subject_digest) do update set wrapped_key = null, erased_at = excluded.erased_at
                where vault.subject_keys.erased_at is null""",
                orgId, digest, UUID.randomUUID().toString(), Timestamp.from(now));
    }

    public Erasure complete(String orgId, String erasureId, Instant now) {
        jdbc.update("update vault.erasures set completed_at = ? where org_id = ? and erasure_id = ? and completed_at is null",
                Timestamp.from(now), orgId, erasureId);
        return find(orgId, erasureId).orElseThrow();
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
