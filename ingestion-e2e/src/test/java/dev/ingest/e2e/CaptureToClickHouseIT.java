package dev.ingest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.clickhouse.client.ClickHouseHttpClient;
import dev.ingest.common.json.Json;
import dev.ingest.common.testing.Poll;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The walking skeleton, end to end on the two-shard stack: HTTP -> capture -> Kafka -> plugin (person in
 * PostgreSQL) -> Kafka -> ClickHouse Kafka engine -> view -> Distributed -> shards.
 */
class CaptureToClickHouseIT {
    private static final int DISTINCT_IDS = 100;
    private static final int EVENTS = 1_000;

    private static TestingPlatform platform;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        platform = TestingPlatform.get();
    }

    @Test
    void thousandEventsLandOnceEachWithDistinctIdsPinnedToOneShardAndPersonsFromPostgres() throws Exception {
        TestingPlatform.TestProject project = platform.createProject("e2e two shards");
        // 20 gzip batches of 45 through /batch/ (posthog-node's shape) and 100 single events through /capture/.
        int sent = 0;
        for (int batch = 0; batch < 20; batch++) {
            StringBuilder events = new StringBuilder();
            for (int i = 0; i < 45; i++, sent++) {
                events.append(i == 0 ? "" : ",").append(event(sent));
            }
            String body = "{\"api_key\":\"" + project.token() + "\",\"sent_at\":\"2026-01-01T00:00:01Z\",\"batch\":[" + events + "]}";
            HttpResponse<String> response = post("/batch/", gzip(body), "application/json", "gzip");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
        while (sent < EVENTS) {
            String body = "{\"api_key\":\"" + project.token() + "\"," + event(sent).substring(1);
            HttpResponse<String> response = post("/capture/", body.getBytes(StandardCharsets.UTF_8), "application/json", null);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"status\":1}");
            sent++;
        }

        ClickHouseHttpClient clickhouse = platform.clickhouse();
        String teamFilter = " WHERE team_id = " + project.id();
        Poll.until(Duration.ofSeconds(90), () -> clickhouse.scalarLong("SELECT count() FROM posthog.events FINAL" + teamFilter),
                count -> count == EVENTS, "all events in ClickHouse");
        // Exactly once: no duplicates even before merges, and FINAL agrees.
        assertThat(clickhouse.scalarLong("SELECT uniqExact(uuid) FROM posthog.events" + teamFilter)).isEqualTo(EVENTS);
        assertThat(clickhouse.scalarLong("SELECT count() FROM posthog.events FINAL" + teamFilter)).isEqualTo(EVENTS);

        // Each distinct id's rows live on exactly one shard, and both shards hold some.
        Map<String, Integer> shardOf = new HashMap<>();
        int shard = 0;
        for (ClickHouseHttpClient node : platform.clickhouseNodes()) {
            shard++;
            int rowsOnShard = 0;
            for (JsonNode row : node.rows("SELECT distinct_id, count() AS c FROM posthog.sharded_events" + teamFilter
                    + " GROUP BY distinct_id")) {
                Integer previous = shardOf.put(row.get("distinct_id").asString(), shard);
                assertThat(previous).as("distinct id %s on two shards", row.get("distinct_id")).isNull();
                rowsOnShard += row.get("c").asInt();
            }
            assertThat(rowsOnShard).as("rows on shard %d", shard).isPositive();
        }
        assertThat(shardOf).hasSize(DISTINCT_IDS);

        // person_id is PostgreSQL's person uuid for that distinct id.
        Map<String, String> personOf = personsByDistinctId(project.id());
        assertThat(personOf).hasSize(DISTINCT_IDS);
        Set<String> checked = new HashSet<>();
        for (JsonNode row : clickhouse.rows("SELECT DISTINCT distinct_id, toString(person_id) AS person_id FROM posthog.events"
                + teamFilter)) {
            String distinctId = row.get("distinct_id").asString();
            assertThat(row.get("person_id").asString()).as("person of %s", distinctId).isEqualTo(personOf.get(distinctId));
            assertThat(checked.add(distinctId)).as("one person per distinct id: %s", distinctId).isTrue();
        }
        assertThat(checked).hasSize(DISTINCT_IDS);
    }

    /**
     * The columns PostHog's queries read: the event's group keys as $group_0..4 (materialized on the shards from the
     * properties) and historical_migration (1 for a batch marked as an import).
     */
    @Test
    void groupKeysAndImportsAreColumnsOfEvents() throws Exception {
        TestingPlatform.TestProject project = platform.createProject("e2e event columns");
        ClickHouseHttpClient clickhouse = platform.clickhouse();
        String teamFilter = " WHERE team_id = " + project.id();
        // The live event first, so that the project's group types get their indexes in a known order (company 0).
        String live = "{\"api_key\":\"" + project.token() + "\",\"event\":\"live\",\"distinct_id\":\"visitor\","
                + "\"properties\":{\"$groups\":{\"company\":\"acme\",\"project\":\"p-1\"}}}";
        assertThat(post("/capture/", live.getBytes(StandardCharsets.UTF_8), "application/json", null).statusCode())
                .isEqualTo(200);
        Poll.until(Duration.ofSeconds(90), () -> clickhouse.scalarLong("SELECT count() FROM posthog.events FINAL" + teamFilter),
                count -> count == 1, "the live event in ClickHouse");
        String imported = "{\"api_key\":\"" + project.token() + "\",\"historical_migration\":true,\"batch\":[{\"event\":"
                + "\"imported\",\"distinct_id\":\"importer\",\"properties\":{\"$groups\":{\"company\":\"acme\"}}}]}";
        assertThat(post("/batch/", imported.getBytes(StandardCharsets.UTF_8), "application/json", null).statusCode())
                .isEqualTo(200);

        Poll.until(Duration.ofSeconds(90), () -> clickhouse.scalarLong("SELECT count() FROM posthog.events FINAL" + teamFilter),
                count -> count == 2, "both events in ClickHouse");
        Map<String, JsonNode> byEvent = new HashMap<>();
        for (JsonNode row : clickhouse.rows("SELECT event, `$group_0` AS g0, `$group_1` AS g1, historical_migration"
                + " FROM posthog.events" + teamFilter)) {
            byEvent.put(row.get("event").asString(), row);
        }
        assertThat(byEvent.get("imported").get("g0").asString()).isEqualTo("acme");
        assertThat(byEvent.get("imported").get("historical_migration").asInt()).isEqualTo(1);
        assertThat(byEvent.get("live").get("g0").asString()).isEqualTo("acme");
        assertThat(byEvent.get("live").get("g1").asString()).isEqualTo("p-1");
        assertThat(byEvent.get("live").get("historical_migration").asInt()).isZero();

        // The same events as definitions, through the management API (written in the batch that processed them).
        JsonNode events = platform.api(project, "GET", "/event_definitions/", null, 200);
        assertThat(events.get("results").findValuesAsString("name")).containsExactlyInAnyOrder("imported", "live");
        JsonNode groups = platform.api(project, "GET", "/property_definitions/?search=groups", null, 200);
        assertThat(groups.get("results").findValuesAsString("name")).as("$groups is not a definition").isEmpty();
    }

    /**
     * A posthog-js $pageview with campaign parameters, through the whole platform: the person gets PostHog's derived
     * set (latest touch in the properties, first touch as $initial_*; a null parameter is no first touch), and a
     * second pageview that only moves the URL and the viewport does not write the person.
     */
    @Test
    void campaignParametersBecomeThePersonsLatestAndFirstTouchAndChurnAloneIsNotWritten() throws Exception {
        TestingPlatform.TestProject project = platform.createProject("e2e campaign");
        String first = "{\"api_key\":\"" + project.token() + "\",\"event\":\"$pageview\",\"distinct_id\":\"visitor\","
                + "\"properties\":{\"$current_url\":\"https://shop.test/?utm_source=news&gclid=g1\",\"$browser\":\"Chrome\","
                + "\"$viewport_width\":1280,\"utm_source\":\"news\",\"utm_medium\":null,\"gclid\":\"g1\",\"$lib\":\"web\"}}";
        assertThat(post("/capture/", first.getBytes(StandardCharsets.UTF_8), "application/json", null).statusCode()).isEqualTo(200);
        ClickHouseHttpClient clickhouse = platform.clickhouse();
        String teamFilter = " WHERE team_id = " + project.id();
        Poll.until(Duration.ofSeconds(90), () -> clickhouse.scalarLong("SELECT count() FROM posthog.events FINAL" + teamFilter),
                count -> count == 1, "the first pageview");
        JsonNode person = personRow(project.id(), "visitor");
        JsonNode properties = Json.read(person.get("properties").asString());
        assertThat(properties.get("utm_source").asString()).isEqualTo("news");
        assertThat(properties.get("$initial_utm_source").asString()).isEqualTo("news");
        assertThat(properties.get("$initial_gclid").asString()).isEqualTo("g1");
        assertThat(properties.get("utm_medium").isNull()).isTrue();
        assertThat(properties.has("$initial_utm_medium")).as("a null is no first touch").isFalse();
        assertThat(properties.get("$initial_viewport_width").asInt()).isEqualTo(1280);

        String churn = first.replace("/?utm_source=news&gclid=g1", "/cart").replace("1280", "1024")
                .replace(",\"utm_source\":\"news\",\"utm_medium\":null,\"gclid\":\"g1\"", "");
        assertThat(post("/capture/", churn.getBytes(StandardCharsets.UTF_8), "application/json", null).statusCode()).isEqualTo(200);
        Poll.until(Duration.ofSeconds(90), () -> clickhouse.scalarLong("SELECT count() FROM posthog.events FINAL" + teamFilter),
                count -> count == 2, "the second pageview");
        JsonNode after = personRow(project.id(), "visitor");
        assertThat(after.get("version").asLong()).as("only the URL and viewport moved: no write").isEqualTo(
                person.get("version").asLong());
        JsonNode row = clickhouse.rows("SELECT person_properties FROM posthog.events" + teamFilter
                + " AND properties LIKE '%/cart%'").getFirst();
        assertThat(Json.read(row.get("person_properties").asString()).get("$current_url").asString())
                .as("the event still shows the person as it is now").isEqualTo("https://shop.test/cart");
    }

    private JsonNode personRow(long teamId, String distinctId) throws SQLException {
        try (Connection connection = platform.postgres(); PreparedStatement query = connection.prepareStatement(
                "SELECT p.properties::text, p.version FROM person p JOIN person_distinct_id d ON d.person_id = p.id"
                        + " WHERE d.team_id = ? AND d.distinct_id = ?")) {
            query.setLong(1, teamId);
            query.setString(2, distinctId);
            try (ResultSet rs = query.executeQuery()) {
                assertThat(rs.next()).as("a person for " + distinctId).isTrue();
                return Json.object().put("properties", rs.getString(1)).put("version", rs.getLong(2));
            }
        }
    }

    private static String event(int n) {
        return "{\"event\":\"$pageview\",\"distinct_id\":\"user-" + (n % DISTINCT_IDS) + "\",\"uuid\":\"" + UUID.randomUUID()
                + "\",\"timestamp\":\"2026-01-01T00:00:00.000Z\",\"properties\":{\"$current_url\":\"https://example.com/"
                + n + "\",\"n\":" + n + "}}";
    }

    private Map<String, String> personsByDistinctId(long teamId) throws SQLException {
        Map<String, String> persons = new HashMap<>();
        try (Connection connection = platform.postgres();
                PreparedStatement query = connection.prepareStatement("SELECT d.distinct_id, p.uuid FROM person_distinct_id d"
                        + " JOIN person p ON p.id = d.person_id WHERE d.team_id = ?")) {
            query.setLong(1, teamId);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    persons.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return persons;
    }

    private HttpResponse<String> post(String path, byte[] body, String contentType, String contentEncoding)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(platform.captureUrl().resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentEncoding != null) {
            request.header("Content-Encoding", contentEncoding);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
