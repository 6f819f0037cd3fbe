package dev.ingest.e2e.faults;

import dev.ingest.e2e.TestingPlatform;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The fault suite (RELIABILITY.md): under a steady load of pageviews, $set events and $identify merges sent to
 * capture over HTTP, inject each fault once (kill -9 of plugin-service and of capture-service, Kafka, PostgreSQL and
 * one ClickHouse shard stopped, a plugin-service backlog), then overlapping ones. After each, on a project of its
 * own: every acknowledged event is in ClickHouse exactly once, persons and distinct ids in ClickHouse equal
 * PostgreSQL's, no event reached a dead-letter topic, and every service is healthy again.
 *
 * <p>The short form runs in ./platform test; ./platform faults runs the full form (longer outages, a higher rate,
 * more overlapping faults). The results table goes to target/fault-suite/results.md and to standard output.
 */
class FaultSuiteIT {
    private static final Path OUTPUT = Path.of("target", "fault-suite");

    @Test
    void everyAcknowledgedEventIsStoredExactlyOnceThroughEveryFault() throws Exception {
        SuiteForm form = SuiteForm.fromEnvironment();
        List<Fault<SingleNodeDeployment>> faults = Fault.of(form);
        List<FaultResult> results = new ArrayList<>();
        long started = System.nanoTime();
        Files.createDirectories(OUTPUT);
        // Each run's service logs are its evidence: none left over from an earlier run.
        if (Files.isDirectory(OUTPUT.resolve("logs"))) {
            try (Stream<Path> old = Files.list(OUTPUT.resolve("logs"))) {
                for (Path log : old.toList()) {
                    Files.delete(log);
                }
            }
        }
        try (FaultRig<SingleNodeDeployment> rig = new FaultRig<>(SingleNodeDeployment.start(TestingPlatform.get(),
                OUTPUT.resolve("logs")), form)) {
            for (Fault<SingleNodeDeployment> fault : faults) {
                results.add(rig.run(fault));
            }
        } finally {
            String table = ResultsTable.markdown("Fault suite", form, results, Duration.ofNanos(System.nanoTime() - started));
            Files.writeString(OUTPUT.resolve("results.md"), table, StandardCharsets.UTF_8);
            System.out.println(table);
        }

        FaultResult.assertEveryPromiseHeld(results, faults.size());
    }
}
