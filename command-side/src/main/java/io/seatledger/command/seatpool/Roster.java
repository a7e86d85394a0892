package io.seatledger.command.seatpool;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every seat of a pool by its id, with the {@link SeatIndex} over them built on first use and kept up to date as
 * seats change. In a snapshot the seats are a list, each seat carrying its id: as a map's keys the ids would be read
 * as field names (a symbol table of 100,000 names for a large pool) and kept twice.
 */
final class Roster {

    private final Map<String, Seat> byId;
    /** Derived from the seats: built on first use, never compared or stored (the test fixture skips transient fields too). */
    private transient SeatIndex index;

    Roster() {
        this(new HashMap<>());
    }

    private Roster(Map<String, Seat> byId) {
        this.byId = byId;
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    static Roster of(List<Seat> restored) {
        Map<String, Seat> byId = new HashMap<>(Math.max(16, restored.size() * 4 / 3 + 1));
        restored.forEach(seat -> byId.put(seat.seatId(), seat));
        return new Roster(byId);
    }

    @JsonValue
    Collection<Seat> seats() {
        return byId.values();
    }

    int size() {
        return byId.size();
    }

    /** The seat with this id, or null. */
    Seat get(String seatId) {
        return seatId == null ? null : byId.get(seatId);
    }

    boolean contains(String seatId) {
        return byId.containsKey(seatId);
    }

    /** Adds a seat, or replaces the seat of its id with its new state. */
    void put(Seat seat) {
        Seat previous = byId.put(seat.seatId(), seat);
        if (index != null) {
            index.replace(previous, seat);
        }
    }

    /** The seat id an address ({@link io.seatledger.messages.common.PersonalData#subject}) occupies, or null. */
    String occupiedSeatOf(String subject) {
        return index().occupiedSeatOf(subject);
    }

    /** The seat id a user holds, or null. */
    String claimedSeatOf(String holderUserId) {
        return index().claimedSeatOf(holderUserId);
    }

    boolean hasPendingExpiringWithin(ExpiryCheck check) {
        return index().hasPendingExpiringWithin(check);
    }

    /** The pending seats whose invitations expire by {@code at}, soonest first (ties by seat id). */
    List<Seat> pendingExpiringBy(Instant at) {
        return index().pendingExpiringBy(at).values().stream().flatMap(Set::stream).map(byId::get)
                .sorted(Comparator.comparing(Seat::expiresAt).thenComparing(Seat::seatId)).toList();
    }

    /** The pending and claimed seats, by seat id. */
    List<Seat> inUse() {
        return byId.values().stream().filter(seat -> seat.status().occupiesCapacity()).sorted(Comparator.comparing(Seat::seatId)).toList();
    }

    private SeatIndex index() {
        if (index == null) {
            index = SeatIndex.of(byId.values());
        }
        return index;
    }
}
