package io.seatledger.auditformat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Chained entries for tests: aggregates take turns, each chained by its own sequence, positions rising. */
final class Entries {

    private Entries() {
    }

    static CanonicalEntry unhashed(long position, String aggregateId, long sequence, String details) {
        return new CanonicalEntry(position, "org-1", aggregateId, sequence, Instant.parse("2026-12-01T10:00:00.123456Z").plusSeconds(position),
                "user-ada", "billing-manager", "request-" + position, null, "SeatAssigned", "seat", "seat-" + position, aggregateId,
                "seat-" + position, details, null, null);
    }

    /** {@code count} entries spread over {@code aggregates} aggregates in the order {@code order} gives (aggregate index per entry). */
    static List<CanonicalEntry> chain(int[] order, int aggregates) {
        EntryHash hasher = new EntryHash();
        String[] heads = new String[aggregates];
        long[] next = new long[aggregates];
        List<CanonicalEntry> entries = new ArrayList<>();
        long position = 10;
        for (int aggregate : order) {
            position += 2 + (position % 3);
            CanonicalEntry entry = unhashed(position, "pool-" + aggregate, next[aggregate]++, "{\"n\":" + position + "}")
                    .chained(heads[aggregate], null);
            String hash = hasher.hex(entry);
            heads[aggregate] = hash;
            entries.add(entry.chained(entry.prevHash(), hash));
        }
        return entries;
    }

    /** {@code entry} with its hash recomputed over what it now records. */
    static CanonicalEntry rehashed(CanonicalEntry entry) {
        return entry.chained(entry.prevHash(), new EntryHash().hex(entry));
    }
}
