package dev.ingest.e2e.faults;

import dev.ingest.common.testing.TestingFaults;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One fault the suite injects while the load runs. {@link Injection#inject} returns when the fault has ended: the
 * stopped part was started again and accepts connections (infrastructure), or the killed service was launched again
 * (services; the rig then waits for it to be healthy). Notes it adds (what the kill hit) go into the results.
 */
record Fault<D extends Deployment>(String name, Injection<D> injection) {
    @FunctionalInterface
    interface Injection<D> {
        void inject(D deployment, EventLoad load, List<String> notes) throws Exception;
    }

    /** The single-node suite's faults of a form, in the order they run: one at a time, then overlapping. */
    static List<Fault<SingleNodeDeployment>> of(SuiteForm form) {
        Duration outage = form.outage();
        List<Fault<SingleNodeDeployment>> faults = new ArrayList<>(List.of(
                new Fault<>("kill -9 plugin-service mid-batch, restart", (rig, load, notes) -> killPluginMidBatch(rig, notes)),
                new Fault<>("kill -9 capture-service mid-request, restart", (rig, load, notes) -> killCaptureMidRequest(rig, load, notes)),
                new Fault<>("stop Kafka " + seconds(outage) + ", restart", (rig, load, notes) -> outage("kafka", outage, notes)),
                new Fault<>("stop PostgreSQL " + seconds(outage) + ", restart", (rig, load, notes) -> outage("postgres", outage, notes)),
                new Fault<>("stop ClickHouse shard 2 " + seconds(outage) + ", restart",
                        (rig, load, notes) -> outage("clickhouse2", outage, notes)),
                new Fault<>("backlog: plugin-service stopped " + seconds(form.backlog()) + " under load, restart, drain",
                        (rig, load, notes) -> {
                            rig.plugin().stop();
                            Thread.sleep(form.backlog());
                            notes.add("backlog at restart: " + rig.pluginLag() + " messages");
                            rig.plugin().start();
                        }),
                new Fault<>("overlap: kill -9 plugin-service while PostgreSQL is down " + seconds(outage),
                        (rig, load, notes) -> {
                            long stopping = System.nanoTime();
                            TestingFaults.stop("postgres");
                            Thread.sleep(outage.dividedBy(3));
                            killPluginMidBatch(rig, notes);
                            Thread.sleep(outage.minus(outage.dividedBy(3)));
                            TestingFaults.start("postgres");
                            notes.add(downFor("postgres", stopping));
                        })));
        if (form.moreOverlaps()) {
            faults.add(new Fault<>("overlap: kill -9 capture-service while Kafka is down " + seconds(outage),
                    (rig, load, notes) -> {
                        long stopping = System.nanoTime();
                        TestingFaults.stop("kafka");
                        Thread.sleep(outage.dividedBy(3));
                        killCaptureMidRequest(rig, load, notes);
                        Thread.sleep(outage.minus(outage.dividedBy(3)));
                        TestingFaults.start("kafka");
                        notes.add(downFor("kafka", stopping));
                    }));
            faults.add(new Fault<>("overlap: ClickHouse shard 2 down " + seconds(outage) + " while a plugin-service backlog drains",
                    (rig, load, notes) -> {
                        rig.plugin().stop();
                        Thread.sleep(form.backlog().dividedBy(2));
                        long stopping = System.nanoTime();
                        TestingFaults.stop("clickhouse2");
                        notes.add("backlog at restart: " + rig.pluginLag() + " messages");
                        rig.plugin().start();
                        Thread.sleep(outage);
                        TestingFaults.start("clickhouse2");
                        notes.add(downFor("clickhouse2", stopping));
                    }));
        }
        return faults;
    }

    /** Kills plugin-service while a batch is uncommitted (input beyond its committed offsets), then launches it again. */
    private static void killPluginMidBatch(SingleNodeDeployment rig, List<String> notes) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long lag = rig.pluginLag();
        while (lag == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            lag = rig.pluginLag();
        }
        rig.plugin().kill();
        notes.add("uncommitted at the kill: " + lag + " messages");
        rig.plugin().start();
    }

    /** Kills capture-service while requests are in flight (they fail: not acknowledged), then launches it again. */
    private static void killCaptureMidRequest(SingleNodeDeployment rig, EventLoad load, List<String> notes) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (load.inFlight() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        int inFlight = load.inFlight();
        rig.capture().kill();
        notes.add("requests in flight at the kill: " + inFlight);
        rig.capture().start();
    }

    /**
     * Stops a part, waits {@code outage} once it is stopped, starts it again. The note gives how long the stop command
     * took (a graceful stop takes time of its own; ./platform kill -9s what has not exited after 20 s) and how long the
     * part was then down until the start command returned.
     */
    private static void outage(String part, Duration outage, List<String> notes) throws InterruptedException {
        long stopping = System.nanoTime();
        TestingFaults.stop(part);
        long stopped = System.nanoTime();
        Thread.sleep(outage);
        TestingFaults.start(part);
        notes.add(String.format("%s: stop command %.1f s, then down %.1f s until restarted", part, (stopped - stopping) / 1e9,
                (System.nanoTime() - stopped) / 1e9));
    }

    static String downFor(String part, long stopping) {
        return String.format("%s unavailable %.1f s from its stop command until restarted", part, (System.nanoTime() - stopping) / 1e9);
    }

    static String seconds(Duration duration) {
        return duration.toSeconds() + " s";
    }
}
