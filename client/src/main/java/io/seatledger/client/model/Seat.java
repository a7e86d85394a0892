package io.seatledger.client.model;

import java.time.Instant;
import java.util.Map;

/** A seat as the API shows it; {@code invitation} only in the answers that issue one (assign, resend, transfer). */
public record Seat(String seatId, String poolId, String orgId, SeatStatus status, String email, String holderUserId, Instant assignedAt,
                   Instant claimedAt, Instant revokedAt, Instant expiresAt, Map<String, String> metadata, Invitation invitation) {
}
