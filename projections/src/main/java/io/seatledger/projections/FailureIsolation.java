package io.seatledger.projections;

import org.springframework.stereotype.Component;

import java.util.concurrent.TimeUnit;

/**
 * Whether projections should isolate each event's writes, because one has failed lately. Normally they don't:
 * writes are batched per transaction ({@link BatchedWrites}) and no savepoints are taken. After a failure,
 * for a while, each event's writes run at once behind a savepoint, so the retried batch can dead-letter the
 * failing event alone.
 */
@Component
public class FailureIsolation {

    private static final long ISOLATION_NANOS = TimeUnit.MINUTES.toNanos(10);

    private volatile long isolatingUntil = System.nanoTime();

    public boolean active() {
        return System.nanoTime() - isolatingUntil < 0;
    }

    public void failed() {
        isolatingUntil = System.nanoTime() + ISOLATION_NANOS;
    }
}
