package dev.ingest.e2e.faults;

import dev.ingest.common.kafka.Topics;
import dev.ingest.e2e.PlatformStores;
import dev.ingest.e2e.ServiceProcess;
import dev.ingest.e2e.TestingPlatform;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The single-node platform as the fault suite runs it: capture-service and plugin-service as their own processes (so
 * kill -9 is real), decide-service and the data stack as {@link TestingPlatform} and ./platform started them.
 */
final class SingleNodeDeployment implements Deployment {
    private static final Duration SERVICE_START = Duration.ofSeconds(120);
    static final List<String> PLUGIN_INPUTS = List.of(Topics.EVENTS_PLUGIN_INGESTION,
            Topics.EVENTS_PLUGIN_INGESTION_OVERFLOW, Topics.EVENTS_PLUGIN_INGESTION_HISTORICAL);

    private final TestingPlatform platform;
    private final ServiceProcess capture;
    private final ServiceProcess plugin;
    private final ConsumerLag lag = new ConsumerLag();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private SingleNodeDeployment(TestingPlatform platform, Path logs) {
        this.platform = platform;
        this.capture = ServiceProcess.of(platform, "capture-service", logs, Map.of());
        // Small poll batches, as in PluginCrashIT: a kill then lands between a batch's produce and its commit.
        this.plugin = ServiceProcess.of(platform, "plugin-service", logs, Map.of("SPRING_KAFKA_CONSUMER_MAX_POLL_RECORDS", "50",
                // Rows a killed batch left in the ClickHouse outbox are re-produced after 10 s instead of 60 s.
                "INGEST_PLUGIN_OUTBOX_GRACE", "10s", "INGEST_PLUGIN_OUTBOX_SWEEP_INTERVAL", "5s"));
    }

    /** Stops the platform's in-process plugin-service (one consumer group) and starts the two service processes. */
    static SingleNodeDeployment start(TestingPlatform platform, Path logs) {
        platform.stopPlugin();
        SingleNodeDeployment deployment = new SingleNodeDeployment(platform, logs);
        deployment.plugin.start();
        deployment.capture.start();
        List<String> notes = new ArrayList<>();
        deployment.awaitHealthy(notes);
        if (!notes.isEmpty()) {
            throw new IllegalStateException("the services did not start cleanly: " + notes);
        }
        return deployment;
    }

    ServiceProcess capture() {
        return capture;
    }

    ServiceProcess plugin() {
        return plugin;
    }

    @Override
    public URI captureUrl() {
        return capture.url();
    }

    @Override
    public TestingPlatform.TestProject createProject(String name) {
        return platform.createProject(name);
    }

    @Override
    public PlatformStores stores() {
        return platform;
    }

    @Override
    public long pluginLag() {
        return lag.of("ingestion-plugin-service", PLUGIN_INPUTS);
    }

    /**
     * Waits until all three services answer ready. A service process that exited (e.g. started while PostgreSQL was
     * down and its migrations failed) is started again, as a supervisor would, and that is noted.
     */
    @Override
    public boolean awaitHealthy(List<String> notes) {
        long deadline = System.nanoTime() + SERVICE_START.toNanos();
        while (System.nanoTime() < deadline) {
            for (ServiceProcess service : List.of(capture, plugin)) {
                if (!service.isAlive()) {
                    notes.add(service.module() + " exited during its start (" + service.log().getFileName() + "); restarted");
                    service.start();
                }
            }
            if (allHealthy()) {
                return true;
            }
            FaultRig.sleep(Duration.ofMillis(250));
        }
        return false;
    }

    @Override
    public boolean allHealthy() {
        return capture.ready() && plugin.ready() && decideReady();
    }

    @Override
    public String health() {
        return "capture " + capture.ready() + ", plugin " + plugin.ready() + ", decide " + decideReady();
    }

    private boolean decideReady() {
        return Deployment.answersReady(http, platform.decideUrl());
    }

    @Override
    public void close() {
        capture.stop();
        plugin.stop();
        lag.close();
        platform.startPlugin();
    }
}
