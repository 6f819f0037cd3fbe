package dev.ingest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.capture.CaptureApplication;
import dev.ingest.clickhouse.client.ClickHouseHttpClient;
import dev.ingest.clickhouse.schema.ClickHouseMigrator;
import dev.ingest.clickhouse.schema.Topology;
import dev.ingest.common.json.Json;
import dev.ingest.common.kafka.Topics;
import dev.ingest.common.testing.Poll;
import dev.ingest.common.testing.TestingPostgres;
import dev.ingest.common.testing.TestingStack;
import dev.ingest.decide.DecideApplication;
import dev.ingest.e2e.faults.ConsumerLag;
import dev.ingest.plugin.PluginApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The whole platform for end-to-end tests: the three services running in this JVM (random ports, one fresh
 * PostgreSQL database) against the real Kafka and two-shard ClickHouse of {@code ./platform test}. Started once per
 * test JVM and shared by every test class, which each create their own projects.
 */
public final class TestingPlatform implements PlatformStores {
    public static final String CLICKHOUSE_DATABASE = "posthog";

    private static TestingPlatform instance;

    private final String postgresUrl;
    private final ConfigurableApplicationContext capture;
    private ConfigurableApplicationContext plugin;
    private final ConfigurableApplicationContext decide;
    private final List<ClickHouseHttpClient> clickhouse;
    private final HttpClient apiClient = HttpClient.newHttpClient();
    private final Map<Long, String> apiKeys = new ConcurrentHashMap<>();

    private TestingPlatform() {
        List<URI> nodes = TestingStack.clickhouseUrls();
        ClickHouseMigrator.withBundledMigrations(new Topology(nodes, CLICKHOUSE_DATABASE, TestingStack.clickhouseCluster(),
                nodes.size() > 1, TestingStack.kafkaBootstrapServers()), System.out::println).migrate();
        this.clickhouse = nodes.stream().map(uri -> new ClickHouseHttpClient(uri, Duration.ofSeconds(60))).toList();
        this.postgresUrl = TestingPostgres.createDatabase("e2e");
        // Decide starts first: its Flyway run creates the schema the others then find in place.
        this.decide = start(DecideApplication.builder());
        this.plugin = start(PluginApplication.builder());
        this.capture = start(CaptureApplication.builder());
    }

    public static synchronized TestingPlatform get() {
        if (instance == null) {
            instance = new TestingPlatform();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::close));
        }
        return instance;
    }

    /** Command-line arguments: they outrank the services' own yml and the environment. */
    private ConfigurableApplicationContext start(SpringApplicationBuilder builder) {
        return builder.run(
                "--server.port=0",
                "--spring.datasource.url=" + postgresUrl,
                "--spring.datasource.username=" + TestingStack.postgresUser(),
                "--spring.kafka.bootstrap-servers=" + TestingStack.kafkaBootstrapServers(),
                "--logging.level.org.apache.kafka=WARN",
                "--spring.main.banner-mode=off",
                // Destinations: test webhooks listen on loopback; short backoffs keep retry tests quick; a new
                // consumer group reads from the start, so no event sent right after startup is missed.
                "--ingest.plugin.destinations.allowed-private-networks=127.0.0.0/8",
                "--ingest.plugin.destinations.auto-offset-reset=earliest",
                "--ingest.plugin.destinations.initial-backoff=300ms",
                "--ingest.plugin.destinations.max-backoff=5s",
                "--ingest.plugin.destinations.request-timeout=1s",
                "--ingest.plugin.destinations.max-attempts=4",
                "--ingest.plugin.outbox.grace=10s",
                "--ingest.plugin.outbox.sweep-interval=5s",
                // Repeated warnings counted in windows of 2 s, so a test sees every count within seconds.
                "--ingest.capture.warnings.window=2s",
                "--ingest.plugin.restrictions.warning-window=2s");
    }

    /** Stops the in-process plugin-service (its consumers leave the group), for tests that run their own. */
    public synchronized void stopPlugin() {
        if (plugin != null) {
            plugin.close();
            plugin = null;
        }
    }

    public synchronized void startPlugin() {
        if (plugin == null) {
            plugin = start(PluginApplication.builder());
        }
    }

    /** Waits until the plugin service's consumer group has committed up to the end of every input topic. */
    public void awaitPluginCaughtUp(Duration timeout) {
        Poll.until(timeout, this::pluginLag, lag -> lag == 0, "plugin-service consumer lag of 0");
    }

    /** Messages on the input topics beyond the plugin service group's committed offsets. */
    public long pluginLag() {
        try (ConsumerLag lag = new ConsumerLag()) {
            return lag.of("ingestion-plugin-service", List.of(Topics.EVENTS_PLUGIN_INGESTION,
                    Topics.EVENTS_PLUGIN_INGESTION_OVERFLOW,
                    Topics.EVENTS_PLUGIN_INGESTION_HISTORICAL));
        }
    }

    /** The PostgreSQL database every service of this platform uses. */
    public String postgresUrl() {
        return postgresUrl;
    }

    public URI captureUrl() {
        return URI.create("http://127.0.0.1:" + capture.getEnvironment().getProperty("local.server.port"));
    }

    public URI decideUrl() {
        return URI.create("http://127.0.0.1:" + decide.getEnvironment().getProperty("local.server.port"));
    }

    public URI pluginUrl() {
        return URI.create("http://127.0.0.1:" + plugin.getEnvironment().getProperty("local.server.port"));
    }

    @Override
    public List<ClickHouseHttpClient> clickhouseNodes() {
        return clickhouse;
    }

    @Override
    public ClickHouseHttpClient clickhouse() {
        return clickhouse.getFirst();
    }

    @Override
    public Connection postgres() throws SQLException {
        return TestingPostgres.connect(postgresUrl);
    }

    /** How many persons PostgreSQL has for the project. */
    public long persons(long teamId) {
        try (Connection connection = postgres();
                PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM person WHERE team_id = ?")) {
            query.setLong(1, teamId);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The uuid of the person PostgreSQL has for the distinct id. */
    public String personUuidOf(long teamId, String distinctId) {
        try (Connection connection = postgres(); PreparedStatement query = connection.prepareStatement(
                "SELECT p.uuid::text FROM person p JOIN person_distinct_id d ON d.person_id = p.id"
                        + " WHERE d.team_id = ? AND d.distinct_id = ?")) {
            query.setLong(1, teamId);
            query.setString(2, distinctId);
            try (ResultSet rs = query.executeQuery()) {
                assertThat(rs.next()).as("a person for " + distinctId).isTrue();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new project with a random id (ClickHouse is shared by every test class) and its token. */
    public TestProject createProject(String name) {
        return createProject(this, name);
    }

    /** The same in the team table of any platform's PostgreSQL. */
    public static TestProject createProject(PlatformStores stores, String name) {
        long id = ThreadLocalRandom.current().nextLong(1_000_000, 2_000_000_000);
        String token = "phc_test_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection connection = stores.postgres();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO team (id, uuid, name, api_token) VALUES (?, ?, ?, ?)")) {
            insert.setLong(1, id);
            insert.setObject(2, UUID.randomUUID());
            insert.setString(3, name);
            insert.setString(4, token);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not create a test project", e);
        }
        return new TestProject(id, token);
    }

    public record TestProject(long id, String token) {}

    /**
     * The management API with a personal API key scoped to {@code project} (made on first use): sends {@code body}
     * (null for none), asserts the status and returns the JSON answer ({} when empty).
     */
    public JsonNode api(TestProject project, String method, String path, String body, int expectedStatus) {
        String key = apiKeys.computeIfAbsent(project.id(), id -> {
            try {
                return HostileInputIT.personalApiKey(this, id);
            } catch (Exception e) {
                throw new IllegalStateException("could not create a personal API key", e);
            }
        });
        return api(key, project.id(), method, path, body, expectedStatus);
    }

    /** The same with a given key (a key of another project, to show scoping). */
    public JsonNode api(String key, long projectId, String method, String path, String body, int expectedStatus) {
        HttpRequest request = HttpRequest.newBuilder(decideUrl().resolve("/api/projects/" + projectId + path))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = apiClient.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expectedStatus);
            return response.body().isEmpty() ? Json.object() : Json.read(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void close() {
        for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] {capture, plugin, decide}) {
            if (context != null) {
                context.close();
            }
        }
    }
}
