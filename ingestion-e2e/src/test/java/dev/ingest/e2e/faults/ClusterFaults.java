package dev.ingest.e2e.faults;

import dev.ingest.clickhouse.client.ClickHouseHttpClient;
import dev.ingest.common.kafka.Topics;
import dev.ingest.common.testing.TestingFaults;
import dev.ingest.common.testing.TestingStack;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import tools.jackson.databind.JsonNode;

/**
 * The cluster fault suite's faults (RELIABILITY.md, cluster topology): a Kafka broker that leads partitions killed,
 * a ClickHouse replica killed, a plugin-service and a capture-service instance killed, an identify storm across the
 * two plugin-service instances, every service instance restarted one at a time. Each injection returns once the fault has ended (the part was started again, or its
 * supervisor restarted it); what it finds along the way that breaks a promise it reports with
 * {@link FaultRig#problem}.
 */
final class ClusterFaults {
    private ClusterFaults() {}

    /** The faults of the form, in the order they run; {@code ci}: only the broker, plugin-service and rolling restart. */
    static List<Fault<ClusterDeployment>> of(SuiteForm form, boolean ci) {
        List<Fault<ClusterDeployment>> all = all(form);
        if (!ci) {
            return all;
        }
        // CI's budget: one instance of each service restarted in turn (each start takes about a minute under load).
        return List.of(all.get(0), all.get(2), new Fault<>("rolling restart of one instance of each service, one at a time",
                (cluster, load, notes) -> rollingRestart(cluster, List.of("decide-service-1", "plugin-service-1",
                        "capture-service-1"), load, notes)));
    }

    /**
     * The faults whose name contains one of {@code selection}'s comma-separated words (case-insensitive), in order;
     * all of them when the selection is blank. Unknown words select nothing and fail the suite's "every fault ran".
     */
    static List<Fault<ClusterDeployment>> selected(List<Fault<ClusterDeployment>> faults, String selection) {
        if (selection == null || selection.isBlank()) {
            return faults;
        }
        List<String> words = Arrays.stream(selection.toLowerCase(Locale.ROOT).split(","))
                .map(String::strip).filter(word -> !word.isEmpty()).toList();
        return faults.stream().filter(fault -> words.stream().anyMatch(fault.name().toLowerCase(Locale.ROOT)::contains))
                .toList();
    }

    private static List<Fault<ClusterDeployment>> all(SuiteForm form) {
        // The full form keeps a broker down for a minute; the short form for the outage of its form.
        Duration brokerDown = form.moreOverlaps() ? Duration.ofSeconds(60) : form.outage();
        Duration replicaDown = form.outage();
        // Longer than the plugin consumers' 10 s session time-out in every form: the group moves the cut-off
        // instance's partitions to the other one while it still holds the batch it was working on.
        Duration partitioned = form.moreOverlaps() ? Duration.ofSeconds(60) : Duration.ofSeconds(Math.max(30, form.outage().toSeconds()));
        return List.of(
                new Fault<>("kill -9 the Kafka broker leading the ingestion topic's partition 0, down "
                        + Fault.seconds(brokerDown) + ", restart", (cluster, load, notes) -> killBroker(load, brokerDown, notes)),
                new Fault<>("kill -9 ClickHouse replica clickhouse3 (shard 1), down " + Fault.seconds(replicaDown) + ", restart",
                        (cluster, load, notes) -> killReplica(cluster, replicaDown, notes)),
                new Fault<>("kill -9 plugin-service-1 mid-batch (supervisor restarts it)",
                        (cluster, load, notes) -> killPluginMidBatch(cluster, notes)),
                new Fault<>("kill -9 capture-service-1 mid-request (supervisor restarts it)",
                        (cluster, load, notes) -> killCaptureMidRequest(load, notes)),
                new Fault<>("network partition of plugin-service-2 (no Kafka, no PostgreSQL) for " + Fault.seconds(partitioned)
                        + ", the process running, then healed", (cluster, load, notes) -> partitionPlugin(cluster, partitioned, notes)),
                new Fault<>("identify storm: " + STORM_USERS + " users merge " + IdentifyStorm.ANONYMOUS_IDS
                        + " anonymous ids each while those ids keep sending, keyed to partitions of both instances",
                        (cluster, load, notes) -> identifyStorm(cluster, notes)),
                new Fault<>("rolling restart of every service instance, one at a time",
                        (cluster, load, notes) -> rollingRestart(cluster, cluster.allInstances(), load, notes)));
    }

    /** Kills the leader of partition 0 and checks that capture acknowledged events while it was down. */
    private static void killBroker(EventLoad load, Duration down, List<String> notes) throws Exception {
        int leader = leaderOfPartitionZero();
        TestingFaults.kill("kafka" + leader);
        long acknowledgedAtKill = load.acknowledgedCount();
        long killed = System.nanoTime();
        Thread.sleep(down);
        long acknowledgedWhileDown = load.acknowledgedCount() - acknowledgedAtKill;
        TestingFaults.start("kafka" + leader);
        notes.add(String.format("killed kafka%d (leader of %s-0); %d events acknowledged during its %.0f s down", leader,
                Topics.EVENTS_PLUGIN_INGESTION, acknowledgedWhileDown, (System.nanoTime() - killed) / 1e9));
        if (acknowledgedWhileDown == 0) {
            FaultRig.problem(notes, "capture acknowledged nothing while one broker of three was down");
        }
    }

    private static int leaderOfPartitionZero() throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestingStack.kafkaBootstrapServers()))) {
            TopicDescription description = admin.describeTopics(List.of(Topics.EVENTS_PLUGIN_INGESTION)).allTopicNames().get()
                    .get(Topics.EVENTS_PLUGIN_INGESTION);
            return description.partitions().getFirst().leader().id();
        }
    }

    /**
     * Kills the second replica of shard 1; reads through {@code events} on node 1 must still answer while it is down
     * (the Distributed table reads shard 1 from its other replica). After the restart both replicas of shard 1 must
     * hold the same rows: counted, and checksummed per month partition.
     */
    private static void killReplica(ClusterDeployment cluster, Duration down, List<String> notes) throws Exception {
        ClickHouseHttpClient reader = cluster.clickhouseNodes().getFirst();
        TestingFaults.kill("clickhouse3");
        long deadline = System.nanoTime() + down.toNanos();
        int reads = 0;
        while (System.nanoTime() < deadline) {
            try {
                reader.scalarLong("SELECT count() FROM posthog.events");
                reads++;
            } catch (RuntimeException e) {
                FaultRig.problem(notes, "a read through events failed while clickhouse3 was down: " + e.getMessage());
                break;
            }
            Thread.sleep(1_000);
        }
        TestingFaults.start("clickhouse3");
        notes.add(reads + " reads through events answered while clickhouse3 was down");
        cluster.afterSettling(() -> compareReplicas(cluster.clickhouseNodes().get(0), cluster.clickhouseNodes().get(2), notes));
    }

    private static final String PER_PARTITION = "SELECT toString(toYYYYMM(timestamp)) AS p, count() AS c,"
            + " toString(groupBitXor(cityHash64(toString(uuid), event, distinct_id, properties))) AS h"
            + " FROM posthog.sharded_events GROUP BY p ORDER BY p";

    /** Waits (bounded: replication fetches what the restarted replica missed) until both replicas hold the same rows. */
    static void compareReplicas(ClickHouseHttpClient first, ClickHouseHttpClient second, List<String> notes) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        String a = "";
        String b = "";
        while (System.nanoTime() < deadline) {
            a = perPartition(first);
            b = perPartition(second);
            if (a.equals(b)) {
                notes.add("shard 1 replicas identical: " + a);
                return;
            }
            FaultRig.sleep(Duration.ofSeconds(2));
        }
        FaultRig.problem(notes, "shard 1 replicas differ: " + first.baseUrl() + " " + a + ", " + second.baseUrl() + " " + b);
    }

    private static String perPartition(ClickHouseHttpClient node) {
        StringBuilder out = new StringBuilder();
        for (JsonNode row : node.rows(PER_PARTITION)) {
            out.append(row.get("p").asString()).append(": ").append(row.get("c").asLong()).append(" rows, xor ")
                    .append(row.get("h").asString()).append("; ");
        }
        return out.toString();
    }

    private static void killPluginMidBatch(ClusterDeployment cluster, List<String> notes) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long lag = cluster.pluginLag();
        while (lag == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            lag = cluster.pluginLag();
        }
        TestingFaults.kill("plugin-service-1");
        notes.add("uncommitted at the kill: " + lag + " messages");
    }

    private static void killCaptureMidRequest(EventLoad load, List<String> notes) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (load.inFlight() == 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        int inFlight = load.inFlight();
        TestingFaults.kill("capture-service-1");
        notes.add("requests in flight at the kill: " + inFlight);
    }

    private static final String ISOLATED = "plugin-service-2";

    /**
     * A {@link PartitionRun} writes steps to its users; after a few steps plugin-service-2 is cut off (in its own
     * network namespace: every packet to Kafka and PostgreSQL dropped, the process running), kept so, healed, and the
     * writer goes on for a few more steps. Its outcome is checked once everything settled.
     */
    private static void partitionPlugin(ClusterDeployment cluster, Duration down, List<String> notes) throws Exception {
        PartitionRun run = new PartitionRun(cluster);
        run.start();
        run.awaitSteps(20);
        TestingFaults.partition(ISOLATED);
        long cut = System.nanoTime();
        boolean unreachable = false;
        try {
            Thread.sleep(down.dividedBy(2));
            unreachable = !cluster.ready(ISOLATED);
            Thread.sleep(down.dividedBy(2));
        } finally {
            TestingFaults.heal(ISOLATED);
        }
        double seconds = (System.nanoTime() - cut) / 1e9;
        run.awaitSteps(40);
        int last = run.stopWriting();
        notes.add(String.format("%s cut off for %.0f s%s; writer stopped at step %d", ISOLATED, seconds,
                unreachable ? " (unreachable from the machine meanwhile)" : "", last));
        if (!unreachable) {
            FaultRig.problem(notes, ISOLATED + " still answered while it was cut off: the partition did not happen");
        }
        cluster.afterSettling(() -> run.check(last, notes));
    }

    private static final int STORM_USERS = 300;

    /**
     * An {@link IdentifyStorm} on a project of its own, under the steady load: both plugin-service instances work on
     * the two sides of each merge at once. Its outcome is checked once everything settled.
     */
    private static void identifyStorm(ClusterDeployment cluster, List<String> notes) throws Exception {
        StormRun run = new StormRun(cluster, new IdentifyStorm(STORM_USERS, System.nanoTime()));
        long retried = run.send();
        notes.add("identify storm sent (" + retried + " batch retries)");
        cluster.afterSettling(() -> run.check(notes));
    }

    /**
     * Every instance restarted in turn under load; not one request may fail at the public address, counted once the
     * load stopped (a request in flight when the last restart returned is answered later).
     */
    private static void rollingRestart(ClusterDeployment cluster, List<String> instances, EventLoad load, List<String> notes) {
        long failedBefore = load.failedRequestCount();
        for (String instance : instances) {
            TestingFaults.restart(instance);
        }
        notes.add("restarted " + String.join(", ", instances));
        cluster.afterSettling(() -> {
            long failed = load.failedRequestCount() - failedBefore;
            if (failed > 0) {
                FaultRig.problem(notes, failed + " requests failed at the public address during the rolling restart");
            }
        });
    }
}
