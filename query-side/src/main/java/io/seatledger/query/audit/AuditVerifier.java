package io.seatledger.query.audit;

import io.seatledger.query.TenantScope;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

import java.util.Objects;

/**
 * Verifies an organization's audit chain: every entry's hash recomputed by the one definition
 * ({@code audit.entry_hash}) and its link to the entry before it. An edited entry fails its own hash; a
 * removed or inserted one breaks the link of the entry after it.
 */
@Component
public class AuditVerifier {

    private final TenantScope tenant;

    public AuditVerifier(TenantScope tenant) {
        this.tenant = tenant;
    }

    /** The verdict; {@code firstInvalidPosition} is null when the chain is intact. */
    public record Verification(boolean valid, long entries, String headHash, Long firstInvalidPosition) {
    }

    private record Link(long position, boolean intact, String hash) {
    }

    public Mono<Verification> verify(String orgId) {
        return tenant.many(orgId, database -> database.sql("""
                                select position, prev_hash, hash, lag(hash) over (order by position) as previous_hash,
                                    audit.entry_hash(prev_hash, position, org_id, occurred_at, actor_id, actor_roles, request_id, reason, action,
                                        object_type, object_id, pool_id, seat_id, details) as recomputed
                                from audit.entries where org_id = :org order by position""")
                        .bind("org", orgId)
                        .filter(statement -> statement.fetchSize(1000))
                        .map(row -> new Link(row.get("position", Long.class),
                                Objects.equals(row.get("prev_hash", String.class), row.get("previous_hash", String.class))
                                        && row.get("hash", String.class).equals(row.get("recomputed", String.class)),
                                row.get("hash", String.class)))
                        .all())
                .reduce(new Verification(true, 0, null, null), (verdict, link) -> new Verification(
                        verdict.valid() && link.intact(), verdict.entries() + 1, link.hash(),
                        verdict.firstInvalidPosition() != null || link.intact() ? verdict.firstInvalidPosition() : Long.valueOf(link.position())));
    }
}
