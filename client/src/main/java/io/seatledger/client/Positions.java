package io.seatledger.client;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

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
    private final AtomicLong overall = new AtomicLong();
    /** The highest position of an answer that named no organization (a claim): every organization's reads wait for it. */
    private final AtomicLong unattributed = new AtomicLong();

    /** {@code orgId} null: a change whose organization the request did not name (an invitation's claim). */
    void record(String orgId, long position) {
        if (orgId == null) {
            unattributed.accumulateAndGet(position, Math::max);
        } else {
            highest.merge(orgId, new Mark(position, System.nanoTime()), (known, answered) -> answered.position > known.position ? answered : known);
        }
        overall.accumulateAndGet(position, Math::max);
    }

    /**
     * The highest position seen for any organization, or 0: what a read that names no organization (an invitation,
     * the caller's own entitlement) waits for. Positions are global, so waiting for it is waiting for every write of
     * this client.
     */
    long overall() {
        return overall.get();
    }

    /** The highest position seen for the organization (or for a change that named none), or 0 when none. */
    long of(String orgId) {
        Mark mark = highest.get(orgId);
        return Math.max(mark == null ? 0 : mark.position, unattributed.get());
    }

    /** The highest position seen for the organization and when, or null. */
    Mark mark(String orgId) {
        return highest.get(orgId);
    }
}
