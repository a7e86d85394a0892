package io.seatledger.client;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Read-your-writes: the highest {@code Seat-Ledger-Position} this client was answered per organization, and when.
 * Reads of that organization send it, so the service answers them only once its read models show every change
 * this client made; an {@link EntitlementCache} that follows its own client's writes compares it with the positions
 * its stream has shown.
 */
final class Positions {

    /** A position and the {@link System#nanoTime()} it was first answered at. */
    record Mark(long position, long atNanos) {
    }

    private final ConcurrentHashMap<String, Mark> highest = new ConcurrentHashMap<>();

    void record(String orgId, long position) {
        highest.merge(orgId, new Mark(position, System.nanoTime()), (known, answered) -> answered.position > known.position ? answered : known);
    }

    /** The highest position seen for the organization, or 0 when none. */
    long of(String orgId) {
        Mark mark = highest.get(orgId);
        return mark == null ? 0 : mark.position;
    }

    /** The highest position seen for the organization and when, or null. */
    Mark mark(String orgId) {
        return highest.get(orgId);
    }
}
