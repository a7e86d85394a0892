package io.seatledger.query.audit;

import io.seatledger.auditformat.CanonicalEntry;
import io.seatledger.auditformat.ChainVerifier;
import io.seatledger.auditformat.CheckpointVerifier;
import io.seatledger.auditformat.Fault;
import io.seatledger.auditformat.SigningKeys;
import io.seatledger.query.TenantScope;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.security.PublicKey;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies an organization's audit trail with the verifier an auditor runs offline ({@link ChainVerifier}): the
 * entries are streamed from PostgreSQL in position order, each hash recomputed in Java and each link checked within
 * its aggregate's chain. The first fault is named with its kind and the entry where it shows. Every checkpoint the
 * service signed for the organization is checked on the way ({@link CheckpointVerifier}): its signature with the
 * published key, and its head hash against the root recomputed at its position, so a history rewritten with
 * recomputed hashes, which the chain alone cannot reveal, is reported too.
 */
@Component
public class AuditVerifier {

    private final TenantScope tenant;
    private final CheckpointReader checkpoints;

    public AuditVerifier(TenantScope tenant, CheckpointReader checkpoints) {
        this.tenant = tenant;
        this.checkpoints = checkpoints;
    }

    /**
     * The verdict: {@code headHash} is the Merkle root over every aggregate's last entry (null for an empty trail);
     * {@code firstInvalidPosition} and {@code fault} are null when the chain is intact; {@code checkpoints} says how many
     * signed checkpoints were checked and names the first that does not hold. Valid when both the chain and every
     * checkpoint hold.
     */
    public record Verification(boolean valid, long entries, String headHash, Long firstInvalidPosition, FaultFound fault,
                               CheckpointsChecked checkpoints) {
    }

    /** {@code firstInvalid} is null when every checkpoint holds. */
    public record CheckpointsChecked(int checked, InvalidCheckpoint firstInvalid) {
    }

    /** A checkpoint that does not hold: {@code problem} {@code root}, {@code signature} or {@code unknown-key}. */
    public record InvalidCheckpoint(String checkpointId, long upTo, String problem) {
    }

    private record Verifiers(ChainVerifier chain, CheckpointVerifier checkpoints) {
        void accept(CanonicalEntry entry) {
            chain.accept(entry);
            checkpoints.accept(entry);
        }
    }

    /** What is wrong and where: kind {@code modified}, {@code deleted}, {@code inserted} or {@code reordered}. */
    public record FaultFound(String kind, Long position, String aggregateId, long sequence) {
    }

    public Mono<Verification> verify(String orgId) {
        return checkpoints.all(orgId).zipWith(checkpoints.signingKeys().collectList())
                .flatMap(stored -> verify(orgId, new Verifiers(new ChainVerifier(), new CheckpointVerifier(stored.getT1(), keys(stored.getT2())))));
    }

    private Mono<Verification> verify(String orgId, Verifiers verifiers) {
        return tenant.many(orgId, database -> database.sql("""
                                select position, org_id, aggregate_id, sequence, occurred_at, actor_id, actor_roles, request_id, reason, action,
                                    object_type, object_id, pool_id, seat_id, details, prev_hash, hash
                                from audit.entries where org_id = :org order by position""")
                        .bind("org", orgId)
                        .filter(statement -> statement.fetchSize(1000))
                        .map(row -> new CanonicalEntry(row.get("position", Long.class), row.get("org_id", String.class),
                                row.get("aggregate_id", String.class), row.get("sequence", Long.class),
                                row.get("occurred_at", OffsetDateTime.class).toInstant(), row.get("actor_id", String.class),
                                row.get("actor_roles", String.class), row.get("request_id", String.class), row.get("reason", String.class),
                                row.get("action", String.class), row.get("object_type", String.class), row.get("object_id", String.class),
                                row.get("pool_id", String.class), row.get("seat_id", String.class), row.get("details", String.class),
                                row.get("prev_hash", String.class), row.get("hash", String.class)))
                        .all())
                .doOnNext(verifiers::accept)
                .then(Mono.fromSupplier(() -> {
                    ChainVerifier.Verdict verdict = verifiers.chain().verdict();
                    CheckpointVerifier.Result checked = verifiers.checkpoints().result();
                    CheckpointVerifier.Invalid invalid = checked.firstInvalid();
                    Fault fault = verdict.fault();
                    return new Verification(verdict.valid() && checked.valid(), verdict.entries(), verdict.headsRoot(),
                            fault == null ? null : fault.position(),
                            fault == null ? null : new FaultFound(fault.kind().label(), fault.position(), fault.aggregateId(), fault.sequence()),
                            new CheckpointsChecked(checked.checked(),
                                    invalid == null ? null : new InvalidCheckpoint(invalid.checkpointId(), invalid.upTo(), invalid.problem().label())));
                }));
    }

    private static Map<String, PublicKey> keys(List<String> published) {
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        published.forEach(x -> keys.put(SigningKeys.keyId(x), SigningKeys.fromX(x)));
        return keys;
    }
}
