package io.seatledger.api.audit.checkpoint;

import io.seatledger.auditformat.Checkpoint;
import io.seatledger.auditformat.CheckpointSignature;
import io.seatledger.auditformat.Heads;
import io.seatledger.auditformat.Hex;
import io.seatledger.projections.audit.AuditTrailProjection;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Array;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Makes an organization's signed checkpoints (docs/audit-format.md, "Checkpoints"): {@code upTo} is the position up to
 * which the audit-trail processor has recorded every event that will ever be stored ({@link #completeTo()}), the
 * head hash the Merkle root over the organization's aggregate heads at or below it, read with one query, and the
 * signature the service's key's over the checkpoint's canonical bytes. The signing key is recorded among the published
 * keys before its first checkpoint is stored. No transaction is needed: every entry at or below {@code upTo} was
 * committed with the processor's position, before that position was read. Blocking (JDBC): callers on an event loop run it elsewhere.
 */
public class CheckpointSigner {

    private final JdbcTemplate jdbc;
    private final CheckpointSigningKey key;
    private final Clock clock;
    private final Duration settleTime;

    /**
     * {@code settleTime}: how long after the event stored next to it an index no event holds is taken as never to be
     * stored (its transaction rolled back), longer than any transaction that stores events takes.
     */
    public CheckpointSigner(JdbcTemplate jdbc, CheckpointSigningKey key, Clock clock, Duration settleTime) {
        this.jdbc = jdbc;
        this.key = key;
        this.clock = clock;
        this.settleTime = settleTime;
    }

    /** A new checkpoint of {@code orgId}, stored. */
    public Checkpoint checkpoint(String orgId) {
        long upTo = completeTo();
        List<Heads.Head> heads = new ArrayList<>(jdbc.query("""
                        select distinct on (aggregate_id) aggregate_id, sequence, hash from audit.entries
                        where org_id = ? and position <= ? order by aggregate_id, sequence desc""",
                (row, i) -> new Heads.Head(row.getString("aggregate_id"), row.getLong("sequence"), row.getString("hash")), orgId, upTo));
        heads.sort(Comparator.comparing(Heads.Head::aggregateId));
        String headHash = Hex.of(Heads.root(heads));
        Instant signedAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String signature = key.sign(CheckpointSignature.input(orgId, upTo, headHash, signedAt));
        Checkpoint checkpoint = new Checkpoint(UUID.randomUUID().toString(), orgId, upTo, headHash, signedAt, key.keyId(), signature);
        jdbc.update("insert into audit.signing_keys (kid, x) values (?, ?) on conflict do nothing", key.keyId(), key.x());
        jdbc.update("""
                        insert into audit.checkpoints (checkpoint_id, org_id, up_to, head_hash, signed_at, key_id, signature)
                        values (?, ?, ?, ?, ?, ?, ?)""",
                checkpoint.checkpointId(), orgId, upTo, headHash, signedAt.atOffset(ZoneOffset.UTC), checkpoint.keyId(), signature);
        return checkpoint;
    }

    /**
     * Organizations whose trail has entries at or below the complete-to position that their latest checkpoint does not
     * cover, those whose latest checkpoint covers least first (none at all before any), at most {@code limit}. Each
     * organization costs two index lookups.
     */
    public List<String> due(int limit) {
        return jdbc.queryForList("""
                        with complete as (
                            select ?::bigint as up_to
                        ), last as (
                            select o.org_id, (select c.up_to from audit.checkpoints c where c.org_id = o.org_id order by c.number desc limit 1) as up_to
                            from read_model.organizations o
                        )
                        select last.org_id from last, complete
                        where exists (select 1 from audit.entries e where e.org_id = last.org_id
                                      and e.position > coalesce(last.up_to, -1) and e.position <= complete.up_to)
                        order by last.up_to nulls first, last.org_id
                        limit ?""",
                String.class, completeTo(), limit);
    }

    /**
     * The position up to which the audit trail holds every event that will ever be stored, so that no entry at or below
     * it can still arrive: each segment's position, lowered below its first gap (an index it has not seen) that is
     * either stored by now (the segment has yet to apply it) or may still be (the event stored after it is younger than
     * the settle time: the gap's transaction may still commit). A rolled-back transaction's index holds checkpoints back
     * for the settle time only, where the token's own complete-to would hold them until Axon drops the gap.
     */
    public long completeTo() {
        List<Long> applied = jdbc.query("select position, gaps from read_model.processed_positions where processor = ?",
                (row, i) -> {
                    long position = row.getLong("position");
                    Array gaps = row.getArray("gaps");
                    long[] open = gaps == null ? new long[0] : java.util.Arrays.stream((Object[]) gaps.getArray())
                            .mapToLong(gap -> ((Number) gap).longValue()).sorted().toArray();
                    for (long gap : open) {
                        if (gap > position) {
                            break;
                        }
                        if (!settled(gap)) {
                            return gap - 1;
                        }
                    }
                    return position;
                }, AuditTrailProjection.PROCESSOR);
        return applied.stream().mapToLong(Long::longValue).min().orElse(-1);
    }

    /** The index holds no event and never will: the next stored event is older than the settle time. */
    private boolean settled(long gap) {
        List<Map<String, Object>> next = jdbc.queryForList(
                "select global_index, time_stamp from events.domain_event_entry where global_index >= ? order by global_index limit 1", gap);
        if (next.isEmpty() || ((Number) next.get(0).get("global_index")).longValue() == gap) {
            return false;
        }
        return Instant.parse((String) next.get(0).get("time_stamp")).isBefore(clock.instant().minus(settleTime));
    }
}
