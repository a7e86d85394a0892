package io.seatledger.query.seatpool;

import io.seatledger.messages.common.ErrorCode;
import io.seatledger.messages.common.TryAgainLater;
import io.seatledger.query.TenantPermits;
import org.springframework.beans.factory.DisposableBean;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs "as of" replays, which fold a pool's whole event stream in memory, on threads of their own: a fixed number
 * with a bounded queue, never the threads commands run on nor the event loop. Each organization has at most a few
 * replays running or queued (more answer 429); a full queue answers 503. Both with a retry delay. A replay whose
 * caller went away still holds its permit until its thread is done with it (or skips it if not yet started).
 */
public class Replays implements DisposableBean {

    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final ThreadPoolExecutor threads;
    private final TenantPermits perOrganization;

    public Replays(int threads,
                   int queueCapacity,
                   int perOrganization) {
        AtomicInteger number = new AtomicInteger();
        this.threads = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queueCapacity), task -> {
            Thread thread = new Thread(task, "time-travel-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }, new ThreadPoolExecutor.AbortPolicy());
        this.perOrganization = new TenantPermits("time-travel reads", perOrganization, RETRY_AFTER);
    }

    /** {@code replay}'s result (empty for null), computed on a time-travel thread for {@code orgId}. */
    public <T> Mono<T> run(String orgId, Callable<T> replay) {
        return Mono.create(sink -> {
            perOrganization.acquire(orgId);
            AtomicBoolean abandoned = new AtomicBoolean();
            sink.onCancel(() -> abandoned.set(true));
            try {
                threads.execute(() -> {
                    if (abandoned.get()) {
                        perOrganization.release(orgId);
                        return;
                    }
                    T result;
                    try {
                        result = replay.call();
                    } catch (Throwable failure) {
                        perOrganization.release(orgId);
                        sink.error(failure);
                        return;
                    }
                    // returned before answering, so that a caller may ask again as soon as it has its answer
                    perOrganization.release(orgId);
                    if (result == null) {
                        sink.success();
                    } else {
                        sink.success(result);
                    }
                });
            } catch (RejectedExecutionException full) {
                perOrganization.release(orgId);
                sink.error(new TryAgainLater(ErrorCode.UNAVAILABLE, "time-travel reads are busy; retry shortly", RETRY_AFTER));
            }
        });
    }

    /** Replays running or queued for {@code orgId} now. */
    public int inUse(String orgId) {
        return perOrganization.inUse(orgId);
    }

    @Override
    public void destroy() {
        threads.shutdownNow();
    }
}
