package io.seatledger.command.seatpool;

import io.seatledger.messages.seatpool.SeatState;
import io.seatledger.messages.seatpool.SeatStatus;

import java.time.Instant;
import java.util.Map;

/**
 * One seat as the pool needs it to decide (who it is for, its state and its current invitation) and to answer a
 * command with the seat as it now stands (its times and metadata).
 */
record Seat(String seatId, String email, SeatStatus status, String invitationTokenHash, Instant expiresAt, String holderUserId,
            Instant assignedAt, Instant claimedAt, Instant revokedAt, Map<String, String> metadata) {

    static Seat pending(String seatId, String email, String invitationTokenHash, Instant expiresAt, Instant assignedAt, Map<String, String> metadata) {
        return new Seat(seatId, email, SeatStatus.PENDING, invitationTokenHash, expiresAt, null, assignedAt, null, null,
                metadata == null ? Map.of() : metadata);
    }

    Seat reinvited(String tokenHash, Instant newExpiry) {
        return new Seat(seatId, email, status, tokenHash, newExpiry, holderUserId, assignedAt, claimedAt, revokedAt, metadata);
    }

    Seat claimedBy(String userId, Instant at) {
        return new Seat(seatId, email, SeatStatus.CLAIMED, null, null, userId, assignedAt, at, revokedAt, metadata);
    }

    Seat revoked(Instant at) {
        return new Seat(seatId, email, SeatStatus.REVOKED, null, null, holderUserId, assignedAt, claimedAt, at, metadata);
    }

    Seat expired() {
        return new Seat(seatId, email, SeatStatus.EXPIRED, null, null, holderUserId, assignedAt, claimedAt, revokedAt, metadata);
    }

    SeatState state(String poolId, String orgId) {
        return new SeatState(seatId, poolId, orgId, status, email, holderUserId, assignedAt, claimedAt, revokedAt, expiresAt, metadata);
    }
}
