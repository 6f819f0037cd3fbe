package dev.ingest.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * Entry point of ./platform bench. Runs each benchmark against the real stack and prints Markdown for
 * BENCHMARKS.md. Arguments: {@code [capture] [--repetitions N] [--seconds S]}.
 */
public final class Benchmarks {
    private Benchmarks() {}

    public static void main(String[] args) throws Exception {
        int repetitions = 3;
        int seconds = 10;
        String only = "all";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--repetitions" -> repetitions = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                default -> only = args[i].toLowerCase(Locale.ROOT);
            }
        }
        Environment environment = Environment.fromSystem();
        StringBuilder report = new StringBuilder();
        report.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(Runtime.version()).append("\n\n");
        Progress.say("bench", "running " + only + " (" + repetitions + " repetitions" + ")");
        if (only.equals("all") || only.equals("capture")) {
            report.append(new CaptureBenchmark(environment, repetitions, Duration.ofSeconds(seconds)).run()).append('\n');
        }
        if (only.equals("all") || only.equals("decide")) {
            report.append(new DecideBenchmark(environment, repetitions, Duration.ofSeconds(seconds)).run()).append('\n');
        }
        if (only.equals("all") || only.equals("plugin")) {
            report.append(new PluginBenchmark(environment, repetitions, 30_000).run()).append('\n');
        }
        if (only.equals("all") || only.equals("apps")) {
            report.append(new PluginBenchmark(environment, repetitions, 20_000).runApps()).append('\n');
        }
        if (only.equals("all") || only.equals("latency")) {
            // Unless a rate is given: half of the end-to-end maximum, measured first in the same run.
            report.append(new LatencyBenchmark(environment, Double.parseDouble(System.getProperty("bench.latency.rate", "0")),
                    Duration.ofSeconds(20), Duration.ofSeconds(Long.getLong("bench.latency.warmup", 30)),
                    Double.parseDouble(System.getProperty("bench.latency.first-step", "1000")),
                    Double.parseDouble(System.getProperty("bench.latency.step", "250")),
                    Duration.ofSeconds(Long.getLong("bench.latency.step-seconds", 30))).run()).append('\n');
        }
        Progress.say("bench", "done");
        System.out.println("\n" + report);
        System.exit(0);
    }
}
