package dev.ingest.e2e.faults;

import dev.ingest.clickhouse.client.ClickHouseHttpClient;
import dev.ingest.common.testing.TestingPostgres;
import dev.ingest.common.testing.TestingStack;
import dev.ingest.e2e.PlatformStores;
import dev.ingest.e2e.TestingPlatform;
import java.net.URI;
import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The cluster topology as {@code ./platform faults --topology cluster} runs it: three Kafka brokers, two ClickHouse
 * shards of two replicas, two instances of each service under supervisord behind the proxy. The load goes to the
 * proxy's public address, as an SDK's would; faults go through {@code ./platform stack} (kill -9, stop, start, a
 * drained restart). A killed instance is started again by its supervisor, as in production.
 */
final class ClusterDeployment implements Deployment, PlatformStores {
    private static final Duration SERVICE_START = Duration.ofSeconds(240);

    private final List<ClickHouseHttpClient> clickhouse = TestingStack.clickhouseUrls().stream()
            .map(uri -> new ClickHouseHttpClient(uri, Duration.ofSeconds(60)))
            .toList();
    private final Map<String, URI> instances = TestingStack.serviceUrls();
    private final ConsumerLag lag = new ConsumerLag();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Runnable> settledChecks = new ArrayList<>();

    /** A check of the current fault that needs the load stopped and every event stored (replicas compared). */
    void afterSettling(Runnable check) {
        settledChecks.add(check);
    }

    @Override
    public List<Runnable> takeSettledChecks() {
        List<Runnable> checks = List.copyOf(settledChecks);
        settledChecks.clear();
        return checks;
    }

    /** The instances of one service (capture-service, plugin-service, decide-service), by name. */
    List<String> instancesOf(String service) {
        return instances.keySet().stream().filter(name -> name.startsWith(service + "-")).toList();
    }

    List<String> allInstances() {
        return List.copyOf(instances.keySet());
    }

    @Override
    public URI captureUrl() {
        return TestingStack.publicUrl();
    }

    @Override
    public TestingPlatform.TestProject createProject(String name) {
        return TestingPlatform.createProject(this, name);
    }

    @Override
    public PlatformStores stores() {
        return this;
    }

    @Override
    public Connection postgres() throws SQLException {
        return TestingPostgres.connect(TestingStack.postgresUrl());
    }

    @Override
    public List<ClickHouseHttpClient> clickhouseNodes() {
        return clickhouse;
    }

    @Override
    public long pluginLag() {
        return lag.of("ingestion-plugin-service", SingleNodeDeployment.PLUGIN_INPUTS);
    }

    @Override
    public boolean awaitHealthy(List<String> notes) {
        long deadline = System.nanoTime() + SERVICE_START.toNanos();
        while (System.nanoTime() < deadline) {
            if (allHealthy()) {
                return true;
            }
            FaultRig.sleep(Duration.ofMillis(500));
        }
        return false;
    }

    @Override
    public boolean allHealthy() {
        return instances.values().stream().allMatch(this::ready);
    }

    @Override
    public String health() {
        return instances.entrySet().stream().map(e -> e.getKey() + " " + ready(e.getValue())).collect(Collectors.joining(", "));
    }

    /** Whether the named instance answers its readiness probe. */
    boolean ready(String instance) {
        return ready(instances.get(instance));
    }

    private boolean ready(URI instance) {
        return Deployment.answersReady(http, instance);
    }

    @Override
    public void close() {
        lag.close();
    }
}
