package io.seatledger.query.audit;

import io.seatledger.query.seatpool.PoolHistory.Actor;
import tools.jackson.databind.JsonNode;

import java.time.Instant;

/** One audit entry: who did what to which object, when, in which request and why, and its place in the chain. */
public record AuditEntry(long position, Instant occurredAt, Actor actor, String requestId, String reason, String action,
                         String objectType, String objectId, String poolId, String seatId, JsonNode details, String prevHash,
                         String hash) {
}
