package dev.ingest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import dev.ingest.common.testing.Poll;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A project that drops stale events ({@code drop_events_older_than_seconds}, set through the management API): through
 * capture, plugin-service and ClickHouse, an event older than the threshold is not stored and leaves an
 * {@code event_dropped_too_old} warning; a recent one is stored.
 */
class StaleEventsIT {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anEventOlderThanTheProjectsThresholdIsDroppedWithAWarning() throws Exception {
        TestingPlatform platform = TestingPlatform.get();
        TestingPlatform.TestProject project = platform.createProject("stale events");
        JsonNode patched = platform.api(project, "PATCH", "/", "{\"drop_events_older_than_seconds\":3600}", 200);
        assertThat(patched.get("drop_events_older_than_seconds").asInt()).isEqualTo(3600);

        String stale = UUID.randomUUID().toString();
        String fresh = UUID.randomUUID().toString();
        send(platform.captureUrl(), project.token(), stale, Instant.now().minus(Duration.ofDays(2)));
        send(platform.captureUrl(), project.token(), fresh, Instant.now().minus(Duration.ofMinutes(10)));

        String team = " WHERE team_id = " + project.id();
        JsonNode warning = Poll.until(Duration.ofSeconds(90), () -> platform.clickhouse().rows("SELECT type, details"
                        + " FROM posthog.ingestion_warnings" + team + " AND type = 'event_dropped_too_old'"),
                rows -> !rows.isEmpty(), "the event_dropped_too_old warning").getFirst();
        JsonNode details = Json.read(warning.get("details").asString());
        assertThat(details.get("eventUuid").asString()).isEqualTo(stale);
        assertThat(details.get("dropThresholdSeconds").asInt()).isEqualTo(3600);
        Poll.until(Duration.ofSeconds(90), () -> platform.clickhouse().scalarLong("SELECT count() FROM posthog.events"
                + team + " AND toString(uuid) = '" + fresh + "'"), count -> count == 1, "the fresh event");
        assertThat(platform.clickhouse().scalarLong("SELECT count() FROM posthog.events" + team
                + " AND toString(uuid) = '" + stale + "'")).as("the stale event").isZero();
    }

    private void send(URI capture, String token, String uuid, Instant timestamp) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(capture.resolve("/e/"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"api_key\":\"" + token + "\",\"event\":\"stale check\","
                        + "\"distinct_id\":\"stale-user\",\"uuid\":\"" + uuid + "\",\"timestamp\":\"" + timestamp + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
}
