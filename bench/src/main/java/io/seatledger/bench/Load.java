package io.seatledger.bench;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** What a closed-loop load (each client sends its next request when the last is answered) achieved. */
record Load(List<Long> nanos, int seconds, int failures) {

    double perSecond() {
        return nanos.size() / (double) seconds;
    }

    double percentileMillis(double percentile) {
        return nanos.isEmpty() ? Double.NaN : Stats.percentile(nanos.stream().map(n -> n / 1e6).toList(), percentile);
    }

    /** One operation of client {@code client}; false or an exception counts as a failure. */
    @FunctionalInterface
    interface Operation {
        boolean call(int client) throws Exception;
    }

    /** {@code clients} threads calling {@code operation} back to back for {@code seconds}. */
    static Load ofThreads(int clients, int seconds, Operation operation) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Future<List<Long>>> perClient = new ArrayList<>();
        AtomicInteger failures = new AtomicInteger();
        for (int client = 0; client < clients; client++) {
            int id = client;
            perClient.add(threads.submit(() -> {
                List<Long> nanos = new ArrayList<>();
                while (System.nanoTime() < deadline) {
                    long started = System.nanoTime();
                    boolean ok;
                    try {
                        ok = operation.call(id);
                    } catch (Exception e) {
                        ok = false;
                    }
                    if (ok) {
                        nanos.add(System.nanoTime() - started);
                    } else {
                        failures.incrementAndGet();
                    }
                }
                return nanos;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> client : perClient) {
            all.addAll(client.get());
        }
        threads.shutdown();
        return new Load(all, seconds, failures.get());
    }

    /** {@code clients} non-blocking HTTP clients, so that the load generator's own cost stays small. */
    static Load ofRequests(int clients, int seconds, IntFunction<Mono<Boolean>> request) {
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        AtomicInteger failures = new AtomicInteger();
        List<Long> all = Collections.synchronizedList(new ArrayList<>());
        Flux.range(0, clients)
                .flatMap(client -> Mono.defer(() -> {
                    long started = System.nanoTime();
                    return request.apply(client).onErrorReturn(false).doOnNext(ok -> {
                        if (ok) {
                            all.add(System.nanoTime() - started);
                        } else {
                            failures.incrementAndGet();
                        }
                    });
                }).repeat(() -> System.nanoTime() < deadline), clients)
                .blockLast(Duration.ofSeconds(seconds + 60L));
        return new Load(new ArrayList<>(all), seconds, failures.get());
    }
}
