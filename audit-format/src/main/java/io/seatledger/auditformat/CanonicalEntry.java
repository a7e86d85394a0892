package io.seatledger.auditformat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * One audit entry exactly as its hash covers it (docs/audit-format.md): the event's global {@code position}, the
 * aggregate that recorded it and that aggregate's own gap-free {@code sequence} (0 for its first event), when, who
 * (roles sorted and comma-joined; a role never holds a comma), in which request and why, what to which object, the
 * canonical JSON of its {@code details}, and the chain: {@code prevHash} is the hash of the same aggregate's entry at
 * {@code sequence - 1} (null for the first), {@code hash} this entry's own (null while it is being computed).
 * Hashes are lower-case hex.
 */
public record CanonicalEntry(long position, String orgId, String aggregateId, long sequence, Instant occurredAt, String actorId,
                             String actorRoles, String requestId, String reason, String action, String objectType, String objectId,
                             String poolId, String seatId, String details, String prevHash, String hash) {

    public CanonicalEntry {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(aggregateId, "aggregateId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(actorRoles, "actorRoles");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(objectType, "objectType");
        Objects.requireNonNull(objectId, "objectId");
        Objects.requireNonNull(details, "details");
        if (sequence < 0) {
            throw new IllegalArgumentException("an aggregate's sequence starts at 0");
        }
    }

    /** The instant as the trail stores it: PostgreSQL keeps microseconds, so the hash covers microseconds. */
    public static Instant storedInstant(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    /** This entry linked to {@code prevHash} and carrying {@code hash}. */
    public CanonicalEntry chained(String prevHash, String hash) {
        return new CanonicalEntry(position, orgId, aggregateId, sequence, occurredAt, actorId, actorRoles, requestId, reason, action,
                objectType, objectId, poolId, seatId, details, prevHash, hash);
    }
}
