package io.seatledger.projections.counters;

import org.springframework.dao.DataAccessException;

import java.time.Duration;

/**
 * Waiting out a short Redis outage or a counter rebuild in place: the counter processor's batches and the rebuild's
 * own end try again, a pause apart, until their patience runs out, instead of failing at the first refusal.
 */
final class RedisPatience {

    private RedisPatience() {
    }

    /** Runs {@code attempt} until it neither meets a down Redis nor a rebuild, or {@code patience} has passed (then its failure is thrown). */
    static void retry(Duration patience, long pauseMillis, Runnable attempt) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                attempt.run();
                return;
            } catch (CountersBeingRebuilt | DataAccessException notNow) {
                if (System.nanoTime() - deadline > 0) {
                    throw notNow;
                }
                pause(pauseMillis);
            }
        }
    }

    /** Sleeps; an interrupt ends the waiting (the application is stopping). */
    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Redis counters", e);
        }
    }
}
