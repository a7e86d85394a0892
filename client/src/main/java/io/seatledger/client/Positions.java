package io.seatledger.client;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Read-your-writes: the highest {@code Seat-Ledger-Position} this client was answered per organization. Reads of that
 * organization send it, so the service answers them only once its read models show every change this client made.
 */
final class Positions {

    private final ConcurrentHashMap<String, Long> highest = new ConcurrentHashMap<>();

    void record(String orgId, long position) {
        highest.merge(orgId, position, Math::max);
    }

    /** The highest position seen for the organization, or 0 when none. */
    long of(String orgId) {
        Long position = highest.get(orgId);
        return position == null ? 0 : position;
    }
}
