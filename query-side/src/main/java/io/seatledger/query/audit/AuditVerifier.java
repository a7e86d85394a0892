package io.seatledger.query.audit;

import io.seatledger.auditformat.CanonicalEntry;
import io.seatledger.auditformat.ChainVerifier;
import io.seatledger.auditformat.Fault;
import io.seatledger.query.TenantScope;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.time.OffsetDateTime;

/**
 * Verifies an organization's audit trail with the verifier an auditor runs offline ({@link ChainVerifier}): the
 * entries are streamed from PostgreSQL in position order, each hash recomputed in Java and each link checked within
 * its aggregate's chain. The first fault is named with its kind and the entry where it shows.
 */
@Component
public class AuditVerifier {

    private final TenantScope tenant;

    public AuditVerifier(TenantScope tenant) {
        this.tenant = tenant;
    }

    /**
     * The verdict: {@code headHash} is the Merkle root over every aggregate's last entry (null for an empty trail);
     * {@code firstInvalidPosition} and {@code fault} are null when the trail is intact.
     */
    public record Verification(boolean valid, long entries, String headHash, Long firstInvalidPosition, FaultFound fault) {
    }

    /** What is wrong and where: kind {@code modified}, {@code deleted}, {@code inserted} or {@code reordered}. */
    public record FaultFound(String kind, Long position, String aggregateId, long sequence) {
    }

    public Mono<Verification> verify(String orgId) {
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
                .collect(ChainVerifier::new, ChainVerifier::accept)
                .map(verifier -> {
                    ChainVerifier.Verdict verdict = verifier.verdict();
                    Fault fault = verdict.fault();
                    return new Verification(verdict.valid(), verdict.entries(), verdict.headsRoot(), fault == null ? null : fault.position(),
                            fault == null ? null : new FaultFound(fault.kind().label(), fault.position(), fault.aggregateId(), fault.sequence()));
                });
    }
}
