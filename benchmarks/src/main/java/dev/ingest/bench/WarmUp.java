package dev.ingest.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Uncounted passes of a benchmark's load until this JVM's JIT compilers are nearly idle: they spent under
 * {@link #QUIET_SHARE} of a pass's wall time compiling, or the pass limit went by. On two busy cores C2 keeps compiling
 * for minutes; a repetition measured meanwhile measures the compiler as much as the service, and successive
 * repetitions rise run by run.
 */
final class WarmUp {
    static final double QUIET_SHARE = 0.15;

    /** One uncounted pass; returns its figure for the report (for example "41,000 events/s"). */
    @FunctionalInterface
    interface Pass {
        String run() throws Exception;
    }

    private WarmUp() {}

    /** Runs passes until the compilers are quiet; returns what happened, for the report. */
    static String untilCompilersQuiet(String benchmark, int maxPasses, Pass pass) throws Exception {
        var compilation = ManagementFactory.getCompilationMXBean();
        List<String> passes = new ArrayList<>();
        boolean quiet = false;
        for (int number = 1; number <= maxPasses && !quiet; number++) {
            long jitBefore = compilation.getTotalCompilationTime();
            long started = System.nanoTime();
            String figure = pass.run();
            double millis = (System.nanoTime() - started) / 1e6;
            double jitShare = (compilation.getTotalCompilationTime() - jitBefore) / millis;
            quiet = jitShare < QUIET_SHARE;
            String line = String.format(Locale.ROOT, "%s (JIT %.0f%% of the time)", figure, jitShare * 100);
            passes.add(line);
            Progress.say(benchmark, "warm-up pass " + number + ": " + line);
        }
        return passes.size() + " passes" + (quiet ? "" : " (the limit; the compilers were still busy)") + ": "
                + String.join(", ", passes);
    }
}
