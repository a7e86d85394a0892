package io.seatledger.client.model;

import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/** One audit entry: who did what to which object, when, in which request and why, and its place in the hash chain. */
public record AuditEntry(long position, Instant occurredAt, Actor actor, String requestId, String reason, String action, String objectType,
                         String objectId, String poolId, String seatId, JsonNode details, String prevHash, String hash) {

    public record Actor(String userId, List<String> roles) {
    }
}
