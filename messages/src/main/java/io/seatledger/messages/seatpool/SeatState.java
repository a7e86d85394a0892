package io.seatledger.messages.seatpool;

import java.time.Instant;
import java.util.Map;

/**
 * A seat as the pool holds it right after a command: what the command's answer shows, so that the answer needs no
 * read model. The same facts the read model derives from the events, field by field.
 */
public record SeatState(String seatId, String poolId, String orgId, SeatStatus status, String email, String holderUserId,
                        Instant assignedAt, Instant claimedAt, Instant revokedAt, Instant expiresAt, Map<String, String> metadata) {
}
