package dev.ingest.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.testing.TestingStack;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cluster fault suite (RELIABILITY.md, cluster topology): the same load and the same checks as {@link
 * FaultSuiteIT} (every acknowledged event stored exactly once, persons and distinct ids on every ClickHouse node equal
 * to PostgreSQL's, no dead letters, every instance healthy again), sent through the proxy of a cluster-topology
 * platform while {@link ClusterFaults} kills brokers, replicas and service instances and restarts every instance in
 * turn. Runs only on a cluster stack ({@code ./platform faults --topology cluster}, {@code ./platform test
 * --topology cluster}); on any other stack it fails, it does not skip. {@code FAULT_SUITE_FORM=ci} (what {@code
 * ./platform test} runs after the single-node suite) is the short form of the broker kill, the plugin-service kill and
 * the rolling restart.
 */
class ClusterFaultSuiteIT {
    private static final Path OUTPUT = Path.of("target", "cluster-fault-suite");

    @Test
    void everyAcknowledgedEventIsStoredExactlyOnceThroughEveryClusterFault() throws Exception {
        assertThat(System.getenv("PLATFORM_TOPOLOGY")).as("PLATFORM_TOPOLOGY: this suite needs the cluster topology"
                + " (./platform faults --topology cluster)").isEqualTo("cluster");
        assertThat(TestingStack.serviceUrls().keySet()).as("two instances of each service").hasSize(6);
        // The cluster runs 18 processes on the machine's cores: a lower steady load than the single-node suite's.
        SuiteForm form = SuiteForm.fromEnvironment();
        form = form.atRate(form.eventsPerSecond() * 0.6);
        boolean ci = "ci".equalsIgnoreCase(SuiteForm.requestedName());
        // CLUSTER_FAULTS=storm,broker runs only the faults whose names hold one of the words (on demand).
        List<Fault<ClusterDeployment>> faults = ClusterFaults.selected(ClusterFaults.of(form, ci), System.getenv("CLUSTER_FAULTS"));
        assertThat(faults).as("faults selected by CLUSTER_FAULTS=" + System.getenv("CLUSTER_FAULTS")).isNotEmpty();
        List<FaultResult> results = new ArrayList<>();
        long started = System.nanoTime();
        Files.createDirectories(OUTPUT);
        try (FaultRig<ClusterDeployment> rig = new FaultRig<>(new ClusterDeployment(), form)) {
            List<String> notes = new ArrayList<>();
            assertThat(rig.deployment().awaitHealthy(notes)).as("every instance ready: " + rig.deployment().health()).isTrue();
            for (Fault<ClusterDeployment> fault : faults) {
                results.add(rig.run(fault));
            }
        } finally {
            String table = ResultsTable.markdown("Cluster fault suite" + (ci ? " (CI form: broker kill, plugin-service kill, rolling restart of one instance of each service)" : "") + " (3 Kafka brokers, 2 x 2 ClickHouse, 2 instances of each"
                    + " service behind the proxy)", form, results, Duration.ofNanos(System.nanoTime() - started));
            Files.writeString(OUTPUT.resolve("results.md"), table, StandardCharsets.UTF_8);
            System.out.println(table);
        }

        FaultResult.assertEveryPromiseHeld(results, faults.size());
    }
}
