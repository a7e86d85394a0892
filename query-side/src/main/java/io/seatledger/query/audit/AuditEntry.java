package io.seatledger.query.audit;

import io.seatledger.query.seatpool.PoolHistory.Actor;
import tools.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One audit entry: who did what to which object, when, in which request and why, and its place in its aggregate's
 * chain ({@code aggregateId}, {@code sequence}, {@code prevHash}, {@code hash}). Everything its hash covers is here:
 * the roles sorted and comma-joined, and {@code details}, which canonicalizes to exactly the text the hash covers
 * (docs/audit-format.md).
 */
public record AuditEntry(long position, String orgId, String aggregateId, long sequence, Instant occurredAt, Actor actor, String requestId,
                         String reason, String action, String objectType, String objectId, String poolId, String seatId, JsonNode details,
                         String prevHash, String hash) {

    /** The roles as the hash covers them: sorted, comma-joined. */
    public String actorRoles() {
        return String.join(",", actor.roles().stream().sorted().toList());
    }
}
