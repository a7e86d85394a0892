package io.seatledger.api.support;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The clock that stamps stored events: the wall clock, in milliseconds (not the domain's test clock). Reading a
 * pool "as of" an instant includes every event stored at that instant, so tests that read between two commands
 * let it move on first.
 */
public final class EventClock {

    private EventClock() {
    }

    /** Waits until the wall clock has moved past the current millisecond; returns the new instant. */
    public static Instant aMillisecondLater() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant later;
        do {
            Thread.onSpinWait();
            later = Instant.now();
        } while (!later.truncatedTo(ChronoUnit.MILLIS).isAfter(now));
        return later;
    }
}
