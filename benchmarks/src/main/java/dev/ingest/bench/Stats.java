package dev.ingest.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

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

    /** The range of a figure over repetitions, as "min-max (spread x% of the median)". */
    static String spread(List<Double> values) {
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        return String.format(Locale.ROOT, "%,.0f-%,.0f (spread %.0f%% of the median)", min, max, 100 * (max - min) / median(values));
    }

    static long[] sorted(long[] values) {
        long[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }
}
