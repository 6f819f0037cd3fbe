package dev.ingest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import dev.ingest.common.kafka.Topics;
import dev.ingest.common.testing.Poll;
import dev.ingest.common.testing.TopicTail;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Event restrictions created and deleted through the management API on the running platform take effect without a
 * restart: dropped events never reach ClickHouse and every one of them is counted in the project's
 * {@code event_dropped_by_restriction} warnings; skip-persons events are stored personless; dead-lettered ones land in
 * the dead-letter table; forced ones travel the overflow lane; a deleted restriction stops applying.
 */
class EventRestrictionsIT {
    private static final Duration TAKES_EFFECT = Duration.ofSeconds(60);
    private final HttpClient http = HttpClient.newHttpClient();
    private final TestingPlatform platform = TestingPlatform.get();

    @Test
    void aDropRestrictionAppliesLiveAndEveryDroppedEventIsCounted() throws Exception {
        TestingPlatform.TestProject project = platform.createProject("restrictions drop");
        String team = " WHERE team_id = " + project.id();
        JsonNode created = platform.api(project, "POST", "/event_restrictions/",
                "{\"restriction_type\":\"drop_event_from_ingestion\",\"event_names\":[\"blocked\"],\"note\":\"runaway\"}", 201);
        long restriction = created.get("id").asLong();
        assertThat(created.get("event_names").get(0).asString()).isEqualTo("blocked");

        List<String> blocked = new ArrayList<>();
        Poll.until(TAKES_EFFECT, () -> {
            blocked.add(send(project.token(), "blocked", "user-1", "{}"));
            return dropWarnings(team);
        }, rows -> rows.stream().anyMatch(row -> row.get("source").asString().equals("capture")),
                "an event_dropped_by_restriction warning from capture (both services apply the restriction)");
        for (int i = 0; i < 5; i++) {
            blocked.add(send(project.token(), "blocked", "user-1", "{}"));
        }
        // Capture drops these (it applies the restriction, as its warning showed).
        List<String> afterEffect = blocked.subList(blocked.size() - 5, blocked.size());
        String allowed = send(project.token(), "allowed", "user-1", "{}");
        Poll.until(TAKES_EFFECT, () -> count("SELECT count() FROM posthog.events" + team + " AND toString(uuid) = '"
                + allowed + "'"), n -> n == 1, "the allowed event");

        long stored = count("SELECT count() FROM posthog.events" + team + " AND event = 'blocked'");
        assertThat(count("SELECT count() FROM posthog.events" + team + " AND toString(uuid) IN ('"
                + String.join("','", afterEffect) + "')")).as("events sent once the restriction applied").isZero();
        // Every blocked event is either stored (sent before the restriction reached capture and the pipeline) or
        // counted in a warning: one per restriction and window, each with its count.
        List<JsonNode> warnings = Poll.until(TAKES_EFFECT, () -> dropWarnings(team),
                rows -> rows.stream().mapToLong(r -> details(r).get("count").asLong()).sum() == blocked.size() - stored,
                "warnings counting all " + blocked.size() + " blocked events but the " + stored + " stored");
        assertThat(warnings).allSatisfy(row -> {
            JsonNode details = details(row);
            assertThat(details.get("restrictionId").asLong()).isEqualTo(restriction);
            assertThat(details.get("restrictionType").asString()).isEqualTo("drop_event_from_ingestion");
        });
        assertThat(warnings.size()).as("warnings per window, not per event").isLessThan(blocked.size());

        platform.api(project, "DELETE", "/event_restrictions/" + restriction + "/", null, 204);
        Poll.until(TAKES_EFFECT, () -> {
            send(project.token(), "blocked", "user-1", "{}");
            return stored(team, "blocked");
        }, n -> n > stored, "a blocked event stored once the restriction is deleted");
    }

    @Test
    void skipPersonsDeadLetterAndOverflowRestrictionsApplyLive() throws Exception {
        TestingPlatform.TestProject project = platform.createProject("restrictions others");
        String team = " WHERE team_id = " + project.id();
        platform.api(project, "POST", "/event_restrictions/",
                "{\"restriction_type\":\"skip_person_processing\",\"distinct_ids\":[\"bot-1\"]}", 201);
        platform.api(project, "POST", "/event_restrictions/",
                "{\"restriction_type\":\"redirect_to_dlq\",\"event_names\":[\"poison\"]}", 201);
        platform.api(project, "POST", "/event_restrictions/",
                "{\"restriction_type\":\"force_overflow_from_ingestion\",\"distinct_ids\":[\"noisy\"]}", 201);
        assertThat(platform.api(project, "GET", "/event_restrictions/", null, 200).get("count").asInt()).isEqualTo(3);

        Poll.until(TAKES_EFFECT, () -> {
            send(project.token(), "poison", "user-2", "{}");
            return count("SELECT count() FROM posthog.events_dead_letter_queue" + team + " AND event = 'poison'"
                    + " AND error LIKE 'restricted_to_dlq%'");
        }, n -> n > 0, "a poison event in the dead-letter table");
        // The pipeline has the three restrictions now (they were created together): bot-1 gets no person.
        String bot = send(project.token(), "bot event", "bot-1", "{\"$set\":{\"plan\":\"pro\"}}");
        Poll.until(TAKES_EFFECT, () -> count("SELECT count() FROM posthog.events" + team + " AND toString(uuid) = '" + bot
                + "' AND person_mode = 'propertyless'"), n -> n == 1, "the bot-1 event stored without person processing");
        assertThat(count("SELECT count() FROM posthog.person_distinct_id2" + team + " AND distinct_id = 'bot-1'"))
                .as("no person for bot-1").isZero();

        try (TopicTail overflow = new TopicTail(Topics.EVENTS_PLUGIN_INGESTION_OVERFLOW)) {
            Poll.until(TAKES_EFFECT, () -> {
                send(project.token(), "noise", "noisy", "{}");
                return overflow.drain(r -> (project.token() + ":noisy").equals(r.key()), Duration.ofMillis(500)).size();
            }, n -> n > 0, "a noisy event on the overflow lane, keyed as usual");
        }
        Poll.until(TAKES_EFFECT, () -> count("SELECT count() FROM posthog.events" + team + " AND distinct_id = 'noisy'"),
                n -> n > 0, "overflow events are still stored");
    }

    @Test
    void theApiValidatesRestrictionsAndScopesThemToTheProject() throws Exception {
        TestingPlatform.TestProject project = platform.createProject("restrictions api");
        TestingPlatform.TestProject other = platform.createProject("restrictions other");
        JsonNode invalid = platform.api(project, "POST", "/event_restrictions/", "{\"restriction_type\":\"nope\"}", 400);
        assertThat(invalid.get("attr").asString()).isEqualTo("restriction_type");
        JsonNode tooLong = platform.api(project, "POST", "/event_restrictions/",
                "{\"restriction_type\":\"redirect_to_dlq\",\"distinct_ids\":[\"" + "x".repeat(451) + "\"]}", 400);
        assertThat(tooLong.get("attr").asString()).isEqualTo("distinct_ids");
        long id = platform.api(project, "POST", "/event_restrictions/", "{\"restriction_type\":\"redirect_to_dlq\"}", 201)
                .get("id").asLong();
        platform.api(other, "GET", "/event_restrictions/" + id + "/", null, 404);
        platform.api(HostileInputIT.personalApiKey(platform, project.id()), other.id(), "GET", "/event_restrictions/",
                null, 403);
        platform.api(project, "DELETE", "/event_restrictions/" + id + "/", null, 204);
        platform.api(project, "GET", "/event_restrictions/" + id + "/", null, 404);
    }

    private long stored(String team, String event) {
        return count("SELECT count() FROM posthog.events" + team + " AND event = '" + event + "'");
    }

    private List<JsonNode> dropWarnings(String team) {
        return platform.clickhouse().rows("SELECT source, details FROM posthog.ingestion_warnings" + team
                + " AND type = 'event_dropped_by_restriction'");
    }

    private static JsonNode details(JsonNode row) {
        return Json.read(row.get("details").asString());
    }

    private long count(String sql) {
        return platform.clickhouse().scalarLong(sql);
    }

    /** Sends one event through capture; returns its uuid. */
    private String send(String token, String event, String distinctId, String properties) {
        String uuid = UUID.randomUUID().toString();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(platform.captureUrl().resolve("/e/"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"api_key\":\"" + token + "\",\"event\":\"" + event
                            + "\",\"distinct_id\":\"" + distinctId + "\",\"uuid\":\"" + uuid + "\",\"properties\":"
                            + properties + "}", StandardCharsets.UTF_8)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return uuid;
    }
}
