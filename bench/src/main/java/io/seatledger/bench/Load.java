package io.seatledger.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * What a load achieved: its successful operations' latencies (nanoseconds, HdrHistogram, three significant
 * digits), how long it ran and how many operations failed.
 *
 * <p>Two kinds of load. A closed loop ({@link #ofThreads}, {@link #ofRequests}) has each client send its next
 * request when the last is answered: it measures throughput, but a slow answer also delays the requests behind
 * it, so its latencies leave out queueing. An open loop ({@link #atRate}) sends at a fixed arrival rate whatever
 * the answers do, and measures each latency from the time the request was scheduled to go: a stall shows up in
 * every request that should have gone during it.
 */
record Load(Histogram latencies, double seconds, int failures) {

    /** Latencies up to a minute are recorded; a slower answer counts as a minute. */
    private static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(1);

    double perSecond() {
        return latencies.getTotalCount() / seconds;
    }

    double percentileMillis(double percentile) {
        return latencies.getTotalCount() == 0 ? Double.NaN : latencies.getValueAtPercentile(percentile) / 1e6;
    }

    /** One operation of client {@code client}; false or an exception counts as a failure. */
    @FunctionalInterface
    interface Operation {
        boolean call(int client) throws Exception;
    }

    /** Closed loop: {@code clients} threads calling {@code operation} back to back for {@code seconds}. */
    static Load ofThreads(int clients, int seconds, Operation operation) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        Recorder recorder = new Recorder(HIGHEST_NANOS, 3);
        AtomicInteger failures = new AtomicInteger();
        List<Future<?>> perClient = new ArrayList<>();
        for (int client = 0; client < clients; client++) {
            int id = client;
            perClient.add(threads.submit(() -> {
                while (System.nanoTime() < deadline) {
                    long started = System.nanoTime();
                    boolean ok;
                    try {
                        ok = operation.call(id);
                    } catch (Exception e) {
                        ok = false;
                    }
                    record(recorder, failures, ok, System.nanoTime() - started);
                }
                return null;
            }));
        }
        for (Future<?> client : perClient) {
            client.get();
        }
        threads.shutdown();
        return new Load(recorder.getIntervalHistogram(), seconds, failures.get());
    }

    /** Closed loop: {@code clients} non-blocking HTTP clients, so that the load generator's own cost stays small. */
    static Load ofRequests(int clients, int seconds, IntFunction<Mono<Boolean>> request) {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        Recorder recorder = new Recorder(HIGHEST_NANOS, 3);
        AtomicInteger failures = new AtomicInteger();
        Flux.range(0, clients)
                .flatMap(client -> Mono.defer(() -> {
                    long started = System.nanoTime();
                    return request.apply(client).onErrorReturn(false)
                            .doOnNext(ok -> record(recorder, failures, ok, System.nanoTime() - started));
                }).repeat(() -> System.nanoTime() < deadline), clients)
                .blockLast(Duration.ofSeconds(seconds + 60L));
        return new Load(recorder.getIntervalHistogram(), seconds, failures.get());
    }

    /**
     * Open loop: {@code ratePerSecond} requests a second for {@code seconds}, the i-th scheduled at start + i / rate
     * and sent then (or at once when the generator is late), its latency measured from that scheduled time. At most
     * {@code maxInFlight} requests are outstanding; a request that finds no room is counted as failed and not sent,
     * so a stalled service cannot make the generator pile up connections without bound. Request {@code i} is
     * given client number {@code i % clients}, for operations that keep per-client state.
     */
    static Load atRate(int ratePerSecond, int seconds, int clients, int maxInFlight, IntFunction<Mono<Boolean>> request) {
        Recorder recorder = new Recorder(HIGHEST_NANOS, 3);
        AtomicInteger failures = new AtomicInteger();
        Semaphore inFlight = new Semaphore(maxInFlight);
        long total = (long) ratePerSecond * seconds;
        double period = 1e9 / ratePerSecond;
        long start = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long scheduled = start + (long) (i * period);
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (!inFlight.tryAcquire()) {
                failures.incrementAndGet();
                continue;
            }
            int client = (int) (i % clients);
            Mono.defer(() -> request.apply(client)).onErrorReturn(false)
                    .doFinally(signal -> inFlight.release())
                    .subscribe(ok -> record(recorder, failures, ok, System.nanoTime() - scheduled), error -> failures.incrementAndGet());
        }
        try {
            if (!inFlight.tryAcquire(maxInFlight, 60, TimeUnit.SECONDS)) {
                failures.addAndGet(maxInFlight - inFlight.availablePermits());
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        return new Load(recorder.getIntervalHistogram(), seconds, failures.get());
    }

    private static void record(Recorder recorder, AtomicInteger failures, boolean ok, long nanos) {
        if (ok) {
            recorder.recordValue(Math.min(nanos, HIGHEST_NANOS));
        } else {
            failures.incrementAndGet();
        }
    }
}
