package io.seatledger.command.seatpool;

import io.seatledger.messages.seatpool.SeatStatus;

import java.time.Instant;

/** One seat as the pool needs it to decide: who it is for, its state and its current invitation. */
record Seat(String seatId, String email, SeatStatus status, String invitationTokenHash, Instant expiresAt, String holderUserId) {

    static Seat pending(String seatId, String email, String invitationTokenHash, Instant expiresAt) {
        return new Seat(seatId, email, SeatStatus.PENDING, invitationTokenHash, expiresAt, null);
    }

    Seat reinvited(String tokenHash, Instant newExpiry) {
        return new Seat(seatId, email, status, tokenHash, newExpiry, holderUserId);
    }

    Seat claimedBy(String userId) {
        return new Seat(seatId, email, SeatStatus.CLAIMED, null, null, userId);
    }

    Seat ended(SeatStatus finalStatus) {
        return new Seat(seatId, email, finalStatus, null, null, holderUserId);
    }
}
