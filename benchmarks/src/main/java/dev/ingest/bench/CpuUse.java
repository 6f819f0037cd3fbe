package dev.ingest.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU time spent by each part of the stack between two snapshots: this JVM (the service under test, plus the
 * benchmark's own producer), PostgreSQL (the postmaster and every backend), the Kafka broker, ClickHouse and
 * ZooKeeper. Read from the operating system (ProcessHandle's total CPU per process), so it shows where a run's two
 * cores went, which a throughput figure alone cannot. Processes that end between the snapshots are not counted.
 */
final class CpuUse {
    private static final Pattern CLICKHOUSE_NODE = Pattern.compile("/(clickhouse\\d+)/");

    private final Map<Long, Sample> start;
    private final long startJitMillis;
    private final long startGcMillis;

    private record Sample(String part, Duration cpu) {}

    private CpuUse(Map<Long, Sample> start) {
        this.start = start;
        this.startJitMillis = jitMillis();
        this.startGcMillis = gcMillis();
    }

    static CpuUse start() {
        return new CpuUse(snapshot());
    }

    /** Time this JVM's JIT compilers spent since the start (a JVM still warming up shows it here). */
    private static long jitMillis() {
        var compilation = ManagementFactory.getCompilationMXBean();
        return compilation != null && compilation.isCompilationTimeMonitoringSupported() ? compilation.getTotalCompilationTime() : 0;
    }

    /** Time the garbage collectors report (pauses and, for some collectors, concurrent cycles). */
    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    /** CPU seconds per part since {@link #start()}, as "part 1.23 s" items, biggest first. */
    String report(double events) {
        Map<String, Double> seconds = new TreeMap<>();
        snapshot().forEach((pid, now) -> {
            Sample before = start.get(pid);
            Duration used = before == null ? now.cpu() : now.cpu().minus(before.cpu());
            seconds.merge(now.part(), used.toNanos() / 1e9, Double::sum);
        });
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "(of this JVM's: JIT compiling %.1f s, garbage collection %.1f s) ",
                (jitMillis() - startJitMillis) / 1e3, (gcMillis() - startGcMillis) / 1e3));
        seconds.entrySet().stream().filter(e -> e.getValue() >= 0.05)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> out.append(String.format(Locale.ROOT, "%s %.1f s (%.0f µs/event); ", e.getKey(), e.getValue(),
                        e.getValue() * 1e6 / events)));
        return out.toString();
    }

    /**
     * Waits until the stack's other processes (ClickHouse, Kafka, PostgreSQL, ZooKeeper) together use under a quarter
     * of a core over half a second, or the deadline passes; returns the seconds waited. A baseline measured while
     * ClickHouse still ingests the previous run's output measures the two cores shared, not Kafka.
     */
    static double awaitQuiet(Duration deadline) throws InterruptedException {
        long started = System.nanoTime();
        long self = ProcessHandle.current().pid();
        while (System.nanoTime() - started < deadline.toNanos()) {
            Map<Long, Sample> before = snapshot();
            long windowStart = System.nanoTime();
            Thread.sleep(500);
            Map<Long, Sample> after = snapshot();
            double seconds = 0;
            for (var entry : after.entrySet()) {
                Sample earlier = before.get(entry.getKey());
                if (entry.getKey() != self && earlier != null) {
                    seconds += entry.getValue().cpu().minus(earlier.cpu()).toNanos() / 1e9;
                }
            }
            if (seconds / ((System.nanoTime() - windowStart) / 1e9) < 0.25) {
                break;
            }
        }
        return (System.nanoTime() - started) / 1e9;
    }

    private static Map<Long, Sample> snapshot() {
        Map<Long, Sample> samples = new TreeMap<>();
        long self = ProcessHandle.current().pid();
        ProcessHandle.allProcesses().forEach(process -> {
            ProcessHandle.Info info = process.info();
            String part = process.pid() == self ? "this JVM" : part(info.command().orElse("") + " "
                    + String.join(" ", info.arguments().orElse(new String[0])));
            if (part != null) {
                info.totalCpuDuration().ifPresent(cpu -> samples.put(process.pid(), new Sample(part, cpu)));
            }
        });
        return samples;
    }

    private static String part(String commandLine) {
        if (commandLine.contains("clickhouse")) {
            // One part per server: the stack's config path names the node (clickhouse1, clickhouse2).
            Matcher node = CLICKHOUSE_NODE.matcher(commandLine);
            return node.find() ? "ClickHouse (" + node.group(1) + ")" : "ClickHouse";
        }
        if (commandLine.contains("postgres")) {
            return "PostgreSQL";
        }
        if (commandLine.contains("kafka.Kafka")) {
            return "Kafka";
        }
        if (commandLine.contains("zookeeper")) {
            return "ZooKeeper";
        }
        return null;
    }
}
