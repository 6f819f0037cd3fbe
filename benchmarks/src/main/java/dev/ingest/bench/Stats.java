package dev.ingest.bench;

import java.util.Arrays;
import java.util.List;

/** Small statistics helpers: latency percentiles of one run, medians over repetitions. */
final class Stats {
    private Stats() {}

    static double percentile(long[] sortedNanos, double p) {
        if (sortedNanos.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.min(sortedNanos.length - 1, Math.max(0, Math.ceil(p / 100.0 * sortedNanos.length) - 1));
        return sortedNanos[index] / 1e6;
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static long[] sorted(long[] values) {
        long[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }
}
