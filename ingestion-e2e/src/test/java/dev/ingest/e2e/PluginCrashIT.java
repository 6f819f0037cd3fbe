package dev.ingest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.clickhouse.client.ClickHouseHttpClient;
import dev.ingest.common.testing.Poll;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of plugin-service in the middle of a stream of batches, then a restart: every event is in ClickHouse exactly
 * once (FINAL, and by distinct uuid) and PostgreSQL has exactly one person per distinct id. The service runs as its
 * own process, from the runnable jar the build made, so the kill is real.
 */
class PluginCrashIT {
    private static final int EVENTS = 10_000;
    private static final int DISTINCT_IDS = 300;

    @Test
    void killingThePluginServiceMidBatchLosesAndDuplicatesNothing() throws Exception {
        TestingPlatform platform = TestingPlatform.get();
        TestingPlatform.TestProject project = platform.createProject("crash");
        platform.stopPlugin();
        // Small batches make "mid-batch" likely: the kill lands between a batch's produce and its offset commit.
        ServiceProcess plugin = ServiceProcess.of(platform, "plugin-service", Path.of("target", "plugin-crash"),
                Map.of("SPRING_KAFKA_CONSUMER_MAX_POLL_RECORDS", "50"));
        try {
            plugin.start();
            HttpClient http = HttpClient.newHttpClient();
            for (int batch = 0; batch < EVENTS / 100; batch++) {
                StringBuilder events = new StringBuilder();
                for (int i = 0; i < 100; i++) {
                    int n = batch * 100 + i;
                    events.append(i == 0 ? "" : ",").append("{\"event\":\"crash\",\"distinct_id\":\"user-").append(n % DISTINCT_IDS)
                            .append("\",\"uuid\":\"").append(UUID.randomUUID()).append("\",\"properties\":{\"$set\":{\"n\":")
                            .append(n).append("}}}");
                }
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(platform.captureUrl().resolve("/batch/"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"api_key\":\"" + project.token() + "\",\"batch\":[" + events + "]}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
            }
            ClickHouseHttpClient clickhouse = platform.clickhouse();
            String team = " WHERE team_id = " + project.id();
            // Kill as soon as the first persons are written, while most of the input is still unconsumed.
            Poll.until(Duration.ofSeconds(120), () -> platform.persons(project.id()), count -> count > 0,
                    "the first persons written");
            plugin.kill();
            long lagAtKill = platform.pluginLag();
            assertThat(lagAtKill).as("killed mid-stream: messages not yet committed at the kill").isPositive();
            plugin.start();

            Poll.until(Duration.ofSeconds(180), () -> clickhouse.scalarLong("SELECT count() FROM posthog.events FINAL" + team),
                    count -> count == EVENTS, "every event after the restart");
            assertThat(clickhouse.scalarLong("SELECT uniqExact(uuid) FROM posthog.events" + team)).isEqualTo(EVENTS);
            try (Connection connection = platform.postgres();
                    PreparedStatement query = connection.prepareStatement("SELECT count(*), count(DISTINCT d.person_id)"
                            + " FROM person_distinct_id d WHERE d.team_id = ?")) {
                query.setLong(1, project.id());
                try (ResultSet rs = query.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("distinct ids").isEqualTo(DISTINCT_IDS);
                    assertThat(rs.getLong(2)).as("one person each").isEqualTo(DISTINCT_IDS);
                }
            }
            assertThat(platform.persons(project.id())).as("no duplicate persons").isEqualTo(DISTINCT_IDS);
        } finally {
            plugin.stop();
            platform.startPlugin();
        }
    }

}
