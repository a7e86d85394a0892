package io.seatledger.api.audit.checkpoint;

import io.seatledger.auditformat.Checkpoint;
import io.seatledger.auditformat.CheckpointSignature;
import io.seatledger.auditformat.Heads;
import io.seatledger.auditformat.Hex;
import io.seatledger.projections.audit.AuditTrailProjection;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.ZoneOffset;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * Makes an organization's signed checkpoints (docs/audit-format.md, "Checkpoints"): {@code upTo} is the position up to
 * which the audit-trail processor has recorded every event (its lowest complete-to position over all segments), the
 * head hash the Merkle root over the organization's aggregate heads at or below it, read with one query, and the
 * signature the service's key's over the checkpoint's canonical bytes. The signing key is recorded among the published
 * keys before its first checkpoint is stored. No transaction is needed: every entry at or below {@code upTo} was
 * committed with the processor's position, before that position was read. Blocking (JDBC): callers on an event loop run it elsewhere.
 */
public class CheckpointSigner {

    private final JdbcTemplate jdbc;
    private final CheckpointSigningKey key;
    private final Clock clock;

    public CheckpointSigner(JdbcTemplate jdbc, CheckpointSigningKey key, Clock clock) {
        this.jdbc = jdbc;
        this.key = key;
        this.clock = clock;
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
                            select coalesce(min(complete_to), -1) as up_to from read_model.processed_positions where processor = ?
                        ), last as (
                            select o.org_id, (select c.up_to from audit.checkpoints c where c.org_id = o.org_id order by c.number desc limit 1) as up_to
                            from read_model.organizations o
                        )
                        select last.org_id from last, complete
                        where exists (select 1 from audit.entries e where e.org_id = last.org_id
                                      and e.position > coalesce(last.up_to, -1) and e.position <= complete.up_to)
                        order by last.up_to nulls first, last.org_id
                        limit ?""",
                String.class, AuditTrailProjection.PROCESSOR, limit);
    }

    /** The position up to which the audit trail holds every event: no entry at or below it can still arrive. */
    private long completeTo() {
        Long completeTo = jdbc.queryForObject("select min(complete_to) from read_model.processed_positions where processor = ?", Long.class,
                AuditTrailProjection.PROCESSOR);
        return completeTo == null ? -1 : completeTo;
    }
}
