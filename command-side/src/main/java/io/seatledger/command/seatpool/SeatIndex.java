package io.seatledger.command.seatpool;

import io.seatledger.messages.common.PersonalData;
import io.seatledger.messages.seatpool.SeatStatus;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * Fast lookups over the seats in use: by address (one occupied seat per address), by holder (one claimed seat per
 * user) and pending invitations by expiry. A pure derivation of the seats, so it is never part of a snapshot.
 */
final class SeatIndex {

    private final Map<SubjectKey, String> occupiedBySubject = new HashMap<>();
    private final Map<String, String> claimedByHolder = new HashMap<>();
    private final TreeMap<Instant, Set<String>> pendingByExpiry = new TreeMap<>();

    static SeatIndex of(Iterable<Seat> seats) {
        SeatIndex index = new SeatIndex();
        seats.forEach(seat -> index.replace(null, seat));
        return index;
    }

    /** Follows a seat from {@code previous} (null for a new seat) to {@code current}. */
    void replace(Seat previous, Seat current) {
        if (previous != null) {
            remove(previous);
        }
        if (current.status().occupiesCapacity()) {
            occupiedBySubject.put(SubjectKey.of(current.email()), current.seatId());
        }
        if (current.status() == SeatStatus.CLAIMED && current.holderUserId() != null) {
            claimedByHolder.put(current.holderUserId(), current.seatId());
        }
        if (current.status() == SeatStatus.PENDING && current.expiresAt() != null) {
            pendingByExpiry.computeIfAbsent(current.expiresAt(), at -> new HashSet<>()).add(current.seatId());
        }
    }

    private void remove(Seat seat) {
        occupiedBySubject.remove(SubjectKey.of(seat.email()), seat.seatId());
        if (seat.holderUserId() != null) {
            claimedByHolder.remove(seat.holderUserId(), seat.seatId());
        }
        if (seat.status() == SeatStatus.PENDING && seat.expiresAt() != null) {
            Set<String> sameExpiry = pendingByExpiry.get(seat.expiresAt());
            if (sameExpiry != null && sameExpiry.remove(seat.seatId()) && sameExpiry.isEmpty()) {
                pendingByExpiry.remove(seat.expiresAt());
            }
        }
    }

    /** The occupied seat of a subject ({@link PersonalData#subject}). */
    String occupiedSeatOf(String subject) {
        return occupiedBySubject.get(SubjectKey.ofSubject(subject));
    }

    String claimedSeatOf(String holderUserId) {
        return claimedByHolder.get(holderUserId);
    }

    /** Whether a pending invitation expires in the check's interval. */
    boolean hasPendingExpiringWithin(ExpiryCheck check) {
        return !pendingByExpiry.subMap(check.from(), false, check.runsAt(), true).isEmpty();
    }

    /** A copy, since expiring the seats changes the index while the caller walks it. */
    NavigableMap<Instant, Set<String>> pendingExpiringBy(Instant at) {
        NavigableMap<Instant, Set<String>> due = new TreeMap<>();
        pendingByExpiry.headMap(at, true).forEach((expiry, ids) -> due.put(expiry, Set.copyOf(ids)));
        return due;
    }
}
