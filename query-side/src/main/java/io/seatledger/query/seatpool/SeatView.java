package io.seatledger.query.seatpool;

import io.seatledger.messages.seatpool.SeatStatus;

import java.time.Instant;
import java.util.Map;

/** A seat as readers see it. */
public record SeatView(String seatId, String poolId, String orgId, SeatStatus status, String email, String holderUserId,
                       Instant assignedAt, Instant claimedAt, Instant revokedAt, Instant expiresAt, Map<String, String> metadata) {
}
