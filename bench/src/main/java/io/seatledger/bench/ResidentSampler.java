package io.seatledger.bench;

import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicReference;

/** The service's resident set, sampled every 250 ms while a load runs; the largest sample since the last {@link #reset()}. */
final class ResidentSampler implements AutoCloseable {

    private final AtomicReference<Double> largest = new AtomicReference<>(Double.NaN);
    private final Thread sampler;

    ResidentSampler(Target target) {
        sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                OptionalDouble resident = target.residentBytes();
                resident.ifPresent(bytes -> largest.accumulateAndGet(bytes, (a, b) -> a.isNaN() ? b : Math.max(a, b)));
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "resident-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    void reset() {
        largest.set(Double.NaN);
    }

    double largestMegabytes() {
        return largest.get() / (1024 * 1024);
    }

    @Override
    public void close() {
        sampler.interrupt();
    }
}
