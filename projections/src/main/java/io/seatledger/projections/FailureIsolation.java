package io.seatledger.projections;

import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Whether a processor's projections should isolate each event's writes, because one of its batches has failed lately.
 * Normally they don't: writes are batched per transaction ({@link BatchedWrites}) and no savepoints are taken. After a
 * failure, for a minute, each event's writes of that processor run at once behind a savepoint, so the retried batch
 * (Axon retries it within seconds) can dead-letter the failing event alone. Per processor, so that one projection's
 * poison event does not slow every other projection down.
 */
@Component
public class FailureIsolation {

    private static final long ISOLATION_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Map<String, Long> isolatingUntil = new ConcurrentHashMap<>();

    public boolean active(String processor) {
        Long until = isolatingUntil.get(processor);
        return until != null && System.nanoTime() - until < 0;
    }

    public void failed(String processor) {
        isolatingUntil.put(processor, System.nanoTime() + ISOLATION_NANOS);
    }
}
