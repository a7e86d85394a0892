package io.seatledger.bench;

import java.util.Arrays;
import java.util.List;

/** Small order statistics over samples. */
final class Stats {

    private Stats() {
    }

    static double median(List<Double> samples) {
        return percentile(samples, 50);
    }

    static double percentile(List<Double> samples, double percentile) {
        double[] sorted = samples.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
