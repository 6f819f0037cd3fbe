package dev.ingest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import dev.ingest.clickhouse.client.ClickHouseHttpClient;
import dev.ingest.common.event.CapturedEvent;
import dev.ingest.common.json.Json;
import dev.ingest.common.kafka.Topics;
import dev.ingest.common.testing.Poll;
import dev.ingest.common.testing.TestingStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/** Projects never see or write each other's data; hostile strings are stored verbatim and stay harmless. */
class SecurityIT {
    private static final String INJECTION = "x'); DROP TABLE person; --\" OR 1=1 /* \\' \u0000";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aMessageClaimingAnotherProjectsTeamIdIsDropped() throws Exception {
        TestingPlatform platform = TestingPlatform.get();
        TestingPlatform.TestProject a = platform.createProject("a");
        TestingPlatform.TestProject b = platform.createProject("b");
        String forged = UUID.randomUUID().toString();
        String tokenless = UUID.randomUUID().toString();
        String honest = UUID.randomUUID().toString();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestingStack.kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            // Token of A with B's team id; B's team id with no token at all; then an honest message of A.
            for (String[] message : new String[][] {{forged, Long.toString(b.id()), a.token()},
                {tokenless, Long.toString(b.id()), null}, {honest, Long.toString(a.id()), a.token()}}) {
                CapturedEvent event = new CapturedEvent(message[0], "mallory", "127.0.0.1", "{\"event\":\"e\",\"distinct_id\":\"mallory\","
                        + "\"uuid\":\"" + message[0] + "\",\"properties\":{}}", Instant.now().toString(), null, message[2],
                        Long.parseLong(message[1]), "e", null, null);
                producer.send(new ProducerRecord<>(Topics.EVENTS_PLUGIN_INGESTION, a.token() + ":mallory", Json.writeBytes(event))).get();
            }
        }
        ClickHouseHttpClient clickhouse = platform.clickhouse();
        Poll.until(Duration.ofSeconds(60), () -> clickhouse.scalarLong("SELECT count() FROM posthog.events WHERE toString(uuid) = '"
                + honest + "'"), count -> count == 1, "the honest message");
        platform.awaitPluginCaughtUp(Duration.ofSeconds(60));
        assertThat(clickhouse.scalarLong("SELECT count() FROM posthog.events WHERE toString(uuid) = '" + forged + "'"))
                .as("token of A with team_id of B").isZero();
        assertThat(clickhouse.scalarLong("SELECT count() FROM posthog.events WHERE toString(uuid) = '" + tokenless + "'"))
                .as("team_id of B and no token").isZero();
        assertThat(clickhouse.scalarLong("SELECT count() FROM posthog.events WHERE team_id = " + b.id())).isZero();
    }

    @Test
    void injectionLookingDistinctIdsAndPropertiesAreStoredVerbatim() throws Exception {
        TestingPlatform platform = TestingPlatform.get();
        TestingPlatform.TestProject project = platform.createProject("injection");
        String uuid = UUID.randomUUID().toString();
        String body = "{\"api_key\":\"" + project.token() + "\",\"event\":" + Json.write(INJECTION) + ",\"distinct_id\":"
                + Json.write(INJECTION) + ",\"uuid\":\"" + uuid + "\",\"properties\":{\"$set\":{" + Json.write(INJECTION) + ":"
                + Json.write(INJECTION) + "}}}";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(platform.captureUrl().resolve("/e/"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        ClickHouseHttpClient clickhouse = platform.clickhouse();
        String expected = INJECTION.replace('\u0000', '\uFFFD');
        Poll.until(Duration.ofSeconds(60), () -> clickhouse.rows("SELECT distinct_id, event FROM posthog.events WHERE toString(uuid) = '"
                + uuid + "'"), rows -> rows.size() == 1, "the event");
        var row = clickhouse.rows("SELECT distinct_id FROM posthog.events WHERE toString(uuid) = '" + uuid + "'").getFirst();
        assertThat(row.get("distinct_id").asString()).isEqualTo(expected);
        try (Connection connection = platform.postgres();
                PreparedStatement query = connection.prepareStatement("SELECT p.properties ->> ? FROM person p JOIN person_distinct_id d"
                        + " ON d.person_id = p.id WHERE d.team_id = ? AND d.distinct_id = ?")) {
            // PostgreSQL stores no NUL, in text or jsonb: it arrives as U+FFFD, everything else verbatim.
            query.setString(1, expected);
            query.setLong(2, project.id());
            query.setString(3, expected);
            try (ResultSet rs = query.executeQuery()) {
                assertThat(rs.next()).as("the person of the hostile distinct id").isTrue();
                assertThat(rs.getString(1)).isEqualTo(expected);
            }
            try (PreparedStatement persons = connection.prepareStatement("SELECT count(*) FROM person")) {
                try (ResultSet rs = persons.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("the person table is still there").isPositive();
                }
            }
        }
    }

    @Test
    void aTokenOfOneProjectNeverWritesIntoAnother() throws Exception {
        TestingPlatform platform = TestingPlatform.get();
        TestingPlatform.TestProject a = platform.createProject("writer a");
        TestingPlatform.TestProject b = platform.createProject("writer b");
        String viaProperties = UUID.randomUUID().toString();
        String viaBatch = UUID.randomUUID().toString();
        // B's token or id inside an event sent with A's token: the request's token decides, the rest is data.
        assertThat(capture(platform, "/e/", "{\"api_key\":\"" + a.token() + "\",\"event\":\"e\",\"distinct_id\":\"d\",\"uuid\":\""
                + viaProperties + "\",\"team_id\":" + b.id() + ",\"properties\":{\"token\":\"" + b.token() + "\",\"team_id\":"
                + b.id() + "}}").statusCode()).isEqualTo(200);
        assertThat(capture(platform, "/batch/", "{\"api_key\":\"" + a.token() + "\",\"batch\":[{\"api_key\":\"" + b.token()
                + "\",\"token\":\"" + b.token() + "\",\"event\":\"e\",\"distinct_id\":\"d\",\"uuid\":\"" + viaBatch + "\"}]}")
                .statusCode()).isEqualTo(200);
        // Events of one request naming both projects are refused whole.
        String mixed = UUID.randomUUID().toString();
        HttpResponse<String> refused = capture(platform, "/e/", "[{\"api_key\":\"" + a.token()
                + "\",\"event\":\"e\",\"distinct_id\":\"d\",\"uuid\":\"" + mixed + "\"},{\"api_key\":\"" + b.token()
                + "\",\"event\":\"e\",\"distinct_id\":\"d\",\"uuid\":\"" + UUID.randomUUID() + "\"}]");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("multiple_api_keys");

        ClickHouseHttpClient clickhouse = platform.clickhouse();
        Poll.until(Duration.ofSeconds(60), () -> clickhouse.scalarLong("SELECT count() FROM posthog.events WHERE team_id = "
                + a.id() + " AND toString(uuid) IN ('" + viaProperties + "','" + viaBatch + "')"), n -> n == 2,
                "both events in project A");
        platform.awaitPluginCaughtUp(Duration.ofSeconds(60));
        assertThat(clickhouse.scalarLong("SELECT count() FROM posthog.events WHERE team_id = " + b.id())).isZero();
        assertThat(clickhouse.scalarLong("SELECT count() FROM posthog.events WHERE toString(uuid) = '" + mixed + "'")).isZero();
    }

    @Test
    void flagsCohortsAndPersonsOfAProjectAreInvisibleThroughAnotherProjectsTokenAndKey() throws Exception {
        TestingPlatform platform = TestingPlatform.get();
        TestingPlatform.TestProject a = platform.createProject("isolated a");
        TestingPlatform.TestProject b = platform.createProject("isolated b");
        String keyA = HostileInputIT.personalApiKey(platform, a.id());
        String keyB = HostileInputIT.personalApiKey(platform, b.id());
        String emailFlag = "{\"key\":\"%s\",\"filters\":{\"groups\":[{\"properties\":[{\"key\":\"email\","
                + "\"value\":\"a@example.com\",\"operator\":\"exact\",\"type\":\"person\"}],\"rollout_percentage\":100}]}}";
        long flagA = api(platform, "POST", "/api/projects/" + a.id() + "/feature_flags/", keyA,
                emailFlag.formatted("a-secret")).get("id").asLong();
        api(platform, "POST", "/api/projects/" + b.id() + "/feature_flags/", keyB, emailFlag.formatted("b-email"));
        long cohortA = api(platform, "POST", "/api/projects/" + a.id() + "/cohorts/", keyA,
                "{\"name\":\"a cohort\",\"is_static\":true}").get("id").asLong();
        long cohortB = api(platform, "POST", "/api/projects/" + b.id() + "/cohorts/", keyB,
                "{\"name\":\"b cohort\",\"is_static\":true}").get("id").asLong();
        // A person of A, made through capture and the plugin service.
        assertThat(capture(platform, "/e/", "{\"api_key\":\"" + a.token() + "\",\"event\":\"$identify\",\"distinct_id\":"
                + "\"shared-id\",\"properties\":{\"$set\":{\"email\":\"a@example.com\"}}}").statusCode()).isEqualTo(200);
        Poll.until(Duration.ofSeconds(60), () -> flags(platform, a.token(), "shared-id"),
                flags -> flags.path("flags").path("a-secret").path("enabled").asBoolean(false), "A's person seen by A's flag");
        assertThat(api(platform, "POST", "/api/projects/" + a.id() + "/cohorts/" + cohortA + "/persons/", keyA,
                "{\"distinct_ids\":[\"shared-id\"]}").get("added").asInt()).isEqualTo(1);

        // B's token: none of A's flags, and A's person's properties are not B's.
        JsonNode throughB = flags(platform, b.token(), "shared-id");
        assertThat(throughB.path("flags").has("a-secret")).isFalse();
        assertThat(throughB.path("flags").path("b-email").path("enabled").asBoolean(true)).isFalse();
        JsonNode decideB = Json.read(post(platform.decideUrl(), "/decide/?v=3", "{\"token\":\"" + b.token()
                + "\",\"distinct_id\":\"shared-id\"}").body());
        assertThat(decideB.path("featureFlags").has("a-secret")).isFalse();
        // B's personal key: A's project is forbidden, A's ids do not exist in B's project.
        for (String path : List.of("/api/projects/" + a.id() + "/", "/api/projects/" + a.id() + "/feature_flags/",
                "/api/projects/" + a.id() + "/feature_flags/" + flagA + "/", "/api/projects/" + a.id() + "/cohorts/",
                "/api/projects/" + a.id() + "/cohorts/" + cohortA + "/")) {
            assertThat(call(platform, "GET", path, keyB, null).statusCode()).as(path).isEqualTo(403);
        }
        for (String path : List.of("/api/projects/" + b.id() + "/feature_flags/" + flagA + "/",
                "/api/projects/" + b.id() + "/cohorts/" + cohortA + "/")) {
            assertThat(call(platform, "GET", path, keyB, null).statusCode()).as(path).isEqualTo(404);
        }
        assertThat(api(platform, "GET", "/api/projects/" + b.id() + "/feature_flags/", keyB, null).toString())
                .doesNotContain("a-secret");
        assertThat(api(platform, "GET", "/api/projects/" + b.id() + "/cohorts/", keyB, null).toString())
                .doesNotContain("a cohort");
        assertThat(api(platform, "POST", "/api/projects/" + b.id() + "/cohorts/" + cohortB + "/persons/", keyB,
                "{\"distinct_ids\":[\"shared-id\"]}").get("unknown_distinct_ids").toString()).contains("shared-id");
        // Local evaluation: B's key with A's token is refused; with B's token it shows only B's definitions.
        assertThat(call(platform, "GET", "/api/feature_flag/local_evaluation?token=" + a.token(), keyB, null).statusCode())
                .isEqualTo(403);
        assertThat(call(platform, "GET", "/flags/definitions?token=" + a.token(), null, null).statusCode()).isEqualTo(401);
        String definitionsB = call(platform, "GET", "/api/feature_flag/local_evaluation?token=" + b.token(), keyB, null).body();
        assertThat(definitionsB).contains("b-email").doesNotContain("a-secret").doesNotContain("\"" + cohortA + "\"");
        // Without a key, or with a key scoped elsewhere, the management API refuses writes too; nothing changed.
        assertThat(call(platform, "PATCH", "/api/projects/" + a.id() + "/feature_flags/" + flagA + "/", null,
                "{\"active\":false}").statusCode()).isEqualTo(401);
        assertThat(call(platform, "PATCH", "/api/projects/" + a.id() + "/feature_flags/" + flagA + "/", keyB,
                "{\"active\":false}").statusCode()).isEqualTo(403);
        assertThat(call(platform, "DELETE", "/api/projects/" + a.id() + "/cohorts/" + cohortA + "/", keyB, null).statusCode())
                .isEqualTo(403);
        JsonNode untouched = api(platform, "GET", "/api/projects/" + a.id() + "/feature_flags/" + flagA + "/", keyA, null);
        assertThat(untouched.get("active").asBoolean()).isTrue();
        assertThat(untouched.get("deleted").asBoolean()).isFalse();
    }

    @Test
    void injectionInFlagFiltersAndDistinctIdsIsEvaluatedVerbatimAndHarmless() throws Exception {
        TestingPlatform platform = TestingPlatform.get();
        TestingPlatform.TestProject project = platform.createProject("filter injection");
        String key = HostileInputIT.personalApiKey(platform, project.id());
        // The management API refuses NUL (PostgreSQL stores none), so filters carry the rest of the hostile text.
        String hostile = INJECTION.replace("\u0000", "");
        String quoted = Json.write(hostile);
        api(platform, "POST", "/api/projects/" + project.id() + "/feature_flags/", key, "{\"key\":\"injected\",\"filters\":"
                + "{\"groups\":[{\"properties\":[{\"key\":" + quoted + ",\"value\":" + quoted + ",\"operator\":\"exact\","
                + "\"type\":\"person\"}],\"rollout_percentage\":100}]}}");
        api(platform, "POST", "/api/projects/" + project.id() + "/feature_flags/", key, "{\"key\":\"injected-regex\",\"filters\":"
                + "{\"groups\":[{\"properties\":[{\"key\":\"plan\",\"value\":" + Json.write("'; SELECT pg_sleep(30); --|pro")
                + ",\"operator\":\"regex\",\"type\":\"person\"}],\"rollout_percentage\":100}]}}");
        // From the request: the hostile key and value match exactly themselves.
        JsonNode matching = Poll.until(Duration.ofSeconds(10), () -> flagsWith(platform, project.token(), "someone",
                "{" + quoted + ":" + quoted + ",\"plan\":\"pro\"}"), f -> f.path("flags").has("injected"), "the flags");
        assertThat(matching.path("flags").path("injected").path("enabled").asBoolean()).isTrue();
        assertThat(matching.path("flags").path("injected-regex").path("enabled").asBoolean()).isTrue();
        JsonNode other = flagsWith(platform, project.token(), "someone", "{" + quoted + ":\"x' OR '1'='1\",\"plan\":\"free\"}");
        assertThat(other.path("flags").path("injected").path("enabled").asBoolean(true)).isFalse();
        assertThat(other.path("flags").path("injected-regex").path("enabled").asBoolean(true)).isFalse();
        // From PostgreSQL: a person whose distinct id and properties are the hostile text, read back by that id.
        assertThat(capture(platform, "/e/", "{\"api_key\":\"" + project.token() + "\",\"event\":\"$identify\",\"distinct_id\":"
                + quoted + ",\"properties\":{\"$set\":{" + quoted + ":" + quoted + "}}}").statusCode()).isEqualTo(200);
        Poll.until(Duration.ofSeconds(60), () -> flags(platform, project.token(), hostile),
                f -> f.path("flags").path("injected").path("enabled").asBoolean(false), "the hostile person's flag");
        ClickHouseHttpClient clickhouse = platform.clickhouse();
        Poll.until(Duration.ofSeconds(60), () -> clickhouse.rows("SELECT distinct_id FROM posthog.events WHERE team_id = "
                + project.id()), rows -> rows.size() == 1 && rows.getFirst().get("distinct_id").asString().equals(hostile),
                "the event with its distinct id verbatim");
        try (Connection connection = platform.postgres();
                PreparedStatement query = connection.prepareStatement("SELECT filters::text FROM feature_flag WHERE team_id = ?"
                        + " AND key = 'injected'")) {
            query.setLong(1, project.id());
            try (ResultSet rs = query.executeQuery()) {
                assertThat(rs.next()).isTrue();
                JsonNode property = Json.read(rs.getString(1)).path("groups").get(0).path("properties").get(0);
                assertThat(property.get("key").asString()).isEqualTo(hostile);
                assertThat(property.get("value").asString()).isEqualTo(hostile);
            }
            for (String table : List.of("team", "person", "person_distinct_id", "feature_flag")) {
                try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM " + table);
                        ResultSet rs = count.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).as(table + " is still there").isPositive();
                }
            }
        }
    }

    @Test
    void logsNeverContainAFullProjectTokenOrPersonalApiKey() throws Exception {
        TestingPlatform platform = TestingPlatform.get();
        TestingPlatform.TestProject project = platform.createProject("quiet logs");
        String key = HostileInputIT.personalApiKey(platform, project.id());
        String unknownToken = "phc_unknown_" + UUID.randomUUID().toString().replace("-", "");
        String unknownKey = "phx_" + UUID.randomUUID().toString().replace("-", "") + "abcdefghijk";
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.setContext(context);
        appender.start();
        root.addAppender(appender);
        String uuid = UUID.randomUUID().toString();
        try {
            // Every service, every path that might log: accepted and refused events, a dead-lettered Kafka message,
            // flags with good and bad tokens, the management API with good, unknown and misplaced keys.
            for (String token : List.of(project.token(), unknownToken, key, unknownKey)) {
                for (String body : List.of(
                        "{\"api_key\":\"" + token + "\",\"event\":\"e\",\"distinct_id\":\"d\",\"uuid\":\"" + uuid + "\"}",
                        "{\"api_key\":\"" + token + "\",\"event\":\"e\",\"distinct_id\":\"d\",\"uuid\":\"bad\"}",
                        "{\"api_key\":\"" + token + "\",\"event\":", "{\"api_key\":\"" + token + "\",\"batch\":{}}")) {
                    capture(platform, "/e/", body);
                    post(platform.decideUrl(), "/flags/?v=2", body.replace("api_key", "token"));
                }
                call(platform, "GET", "/api/projects/" + project.id() + "/", token, null);
                call(platform, "GET", "/api/projects/" + (project.id() + 1) + "/", token, null);
                call(platform, "POST", "/api/projects/" + project.id() + "/feature_flags/", token, "{\"key\":");
                call(platform, "GET", "/api/feature_flag/local_evaluation?token=" + project.token(), token, null);
                call(platform, "GET", "/api/feature_flag/local_evaluation?token=" + token, key, null);
            }
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestingStack.kafkaBootstrapServers(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
                producer.send(new ProducerRecord<>(Topics.EVENTS_PLUGIN_INGESTION, project.token() + ":d",
                        ("{\"token\":\"" + project.token() + "\",\"data\":\"{not json").getBytes())).get();
            }
            Poll.until(Duration.ofSeconds(60), () -> platform.clickhouse().scalarLong("SELECT count() FROM posthog.events"
                    + " WHERE toString(uuid) = '" + uuid + "'"), n -> n == 1, "the accepted event");
            platform.awaitPluginCaughtUp(Duration.ofSeconds(60));
            LoggerFactory.getLogger("dev.ingest.capture").warn("log capture canary");
        } finally {
            root.detachAppender(appender);
        }
        List<String> leaks = new ArrayList<>();
        for (ILoggingEvent event : List.copyOf(appender.list)) {
            String text = event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
                    : ThrowableProxyUtil.asString(event.getThrowableProxy()));
            for (String secret : List.of(project.token(), unknownToken, key, unknownKey)) {
                if (text.contains(secret)) {
                    leaks.add(event.getLoggerName() + ": " + text);
                }
            }
        }
        assertThat(appender.list).as("the appender sees the services' loggers")
                .anyMatch(event -> event.getFormattedMessage().equals("log capture canary"));
        assertThat(leaks).isEmpty();
    }

    private HttpResponse<String> capture(TestingPlatform platform, String path, String body) throws Exception {
        return post(platform.captureUrl(), path, body);
    }

    private HttpResponse<String> post(URI base, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode flags(TestingPlatform platform, String token, String distinctId) {
        return flagsWith(platform, token, distinctId, "{}");
    }

    private JsonNode flagsWith(TestingPlatform platform, String token, String distinctId, String personProperties) {
        try {
            HttpResponse<String> response = post(platform.decideUrl(), "/flags/?v=2", "{\"token\":\"" + token
                    + "\",\"distinct_id\":" + Json.write(distinctId) + ",\"person_properties\":" + personProperties + "}");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return Json.read(response.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> call(TestingPlatform platform, String method, String path, String key, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(platform.decideUrl().resolve(path))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A management API call that must succeed; its JSON (null for 204). */
    private JsonNode api(TestingPlatform platform, String method, String path, String key, String body) throws Exception {
        HttpResponse<String> response = call(platform, method, path, key, body);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isBetween(200, 299);
        return response.body().isEmpty() ? null : Json.read(response.body());
    }
}
