package dev.ingest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import dev.ingest.common.kafka.Topics;
import dev.ingest.common.testing.Poll;
import dev.ingest.common.testing.TopicTail;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Destinations through the real stack: events captured over HTTP, ingested by the plugin service, stored in
 * ClickHouse, then delivered by the destinations worker to webhook servers on loopback (the platform under test
 * allows 127.0.0.0/8; backoff starts at 300 ms, requests time out after 1 s, 4 attempts).
 */
class DestinationsIT {
    private static TestingPlatform platform;
    private static WebhookReceiver receiver;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        platform = TestingPlatform.get();
        receiver = new WebhookReceiver();
    }

    @AfterAll
    static void stop() {
        receiver.close();
    }

    @Test
    void webhookGetsEveryStoredEventOnceInItsTemplate() throws Exception {
        var project = platform.createProject("webhook");
        String path = "/ok/" + project.id();
        addApp(project.id(), "webhook", "{\"url\":\"" + receiver.url(path) + "\",\"headers\":{\"X-Secret\":\"s3\"},"
                + "\"events\":[\"signed_up\"],\"template\":{\"text\":\"{{event}} by {{distinct_id}}\","
                + "\"plan\":\"{{properties.plan}}\",\"props\":\"{{properties}}\"}}", 0);
        List<String> uuids = new ArrayList<>();
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String uuid = UUID.randomUUID().toString();
            uuids.add(uuid);
            events.add(event(uuid, "signed_up", "user-" + i, "{\"plan\":\"pro\",\"n\":" + i + "}"));
        }
        String pageview = UUID.randomUUID().toString();
        events.add(event(pageview, "$pageview", "user-0", "{}")); // not in "events": skipped
        capture(project.token(), events);

        List<WebhookReceiver.Received> got = Poll.until(Duration.ofSeconds(60), () -> receiver.received(path),
                list -> list.size() >= 5, "5 webhook requests");
        assertThat(got).allSatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.header("X-Secret")).isEqualTo("s3");
            assertThat(r.header("Content-Type")).isEqualTo("application/json");
        });
        List<JsonNode> bodies = got.stream().map(r -> Json.read(r.body())).toList();
        assertThat(bodies).extracting(b -> b.path("text").asString())
                .containsExactlyInAnyOrder("signed_up by user-0", "signed_up by user-1", "signed_up by user-2",
                        "signed_up by user-3", "signed_up by user-4");
        assertThat(bodies).allSatisfy(b -> {
            assertThat(b.path("plan").asString()).isEqualTo("pro");
            assertThat(b.path("props").isObject()).isTrue();
        });
        // Nothing more: the pageview was filtered out and no event was delivered twice. A barrier, not a sleep: a sentinel
        // of the same person (so it is ingested after the pageview) on the pageview's partition of the events topic (so
        // the destinations consumer reads it after the pageview) must be the next and only request.
        capture(project.token(), List.of(event(uuidAfter(pageview), "signed_up", "user-0", "{\"plan\":\"sentinel\"}")));
        List<WebhookReceiver.Received> all = Poll.until(Duration.ofSeconds(60), () -> receiver.received(path),
                list -> list.size() >= 6, "the sentinel's request");
        assertThat(all).hasSize(6);
        assertThat(Json.read(all.get(5).body()).path("plan").asString()).isEqualTo("sentinel");
    }

    @Test
    void failedAttemptsAreRetriedWithGrowingBackoff() throws Exception {
        var project = platform.createProject("flaky");
        String path = "/flaky/" + project.id();
        addApp(project.id(), "webhook", "{\"url\":\"" + receiver.url(path) + "\"}", 0);
        capture(project.token(), List.of(event(UUID.randomUUID().toString(), "retry_me", "u", "{}")));

        List<WebhookReceiver.Received> got = Poll.until(Duration.ofSeconds(60), () -> receiver.received(path),
                list -> list.size() >= 3, "three attempts (500, 500, 200)");
        long firstGap = got.get(1).atNanos() - got.get(0).atNanos();
        long secondGap = got.get(2).atNanos() - got.get(1).atNanos();
        assertThat(Duration.ofNanos(firstGap)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(Duration.ofNanos(secondGap)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
        assertThat(got.get(0).body()).isEqualTo(got.get(2).body());
        // A barrier, not a sleep: a later event of the same distinct id arrives after anything still owed for the first.
        capture(project.token(), List.of(event(UUID.randomUUID().toString(), "after_retries", "u", "{}")));
        List<WebhookReceiver.Received> all = Poll.until(Duration.ofSeconds(60), () -> receiver.received(path),
                list -> list.stream().anyMatch(r -> r.body().contains("after_retries")), "the event after the retried one");
        assertThat(all).filteredOn(r -> r.body().contains("retry_me")).as("no attempt after the success").hasSize(3);
    }

    @Test
    void aDestinationThatKeepsFailingIsDeadLetteredWithTheReason() throws Exception {
        var project = platform.createProject("down");
        String path = "/down/" + project.id();
        long appId = addApp(project.id(), "webhook", "{\"url\":\"" + receiver.url(path) + "\"}", 0);
        String uuid = UUID.randomUUID().toString();
        try (TopicTail dlq = new TopicTail(Topics.APP_DELIVERIES_DLQ)) {
            capture(project.token(), List.of(event(uuid, "doomed", "u", "{}")));
            ConsumerRecord<String, byte[]> dead = dlq.await(r -> header(r, "destination_id").equals(Long.toString(appId)), 1,
                    Duration.ofSeconds(90)).getFirst();
            assertThat(header(dead, "attempt")).isEqualTo("4");
            assertThat(header(dead, "reason")).contains("gave up after 4 attempts").contains("HTTP 503");
            JsonNode delivery = Json.read(new String(dead.value(), StandardCharsets.UTF_8));
            assertThat(delivery.path("event_uuid").asString()).isEqualTo(uuid);
            assertThat(delivery.path("request").path("url").asString()).isEqualTo(receiver.url(path));
        }
        assertThat(receiver.received(path)).hasSize(4);
        // The project is told, in ClickHouse's ingestion_warnings.
        Poll.until(Duration.ofSeconds(60), () -> platform.clickhouse().scalarLong("SELECT count() FROM "
                + TestingPlatform.CLICKHOUSE_DATABASE + ".ingestion_warnings WHERE team_id = " + project.id()
                + " AND type = 'destination_delivery_failed'"), n -> n >= 1, "a destination_delivery_failed warning");
    }

    @Test
    void aHangingDestinationDelaysNeitherAnotherDestinationNorIngestion() throws Exception {
        var project = platform.createProject("isolation");
        String hangPath = "/hang/" + project.id();
        String okPath = "/ok/isolation-" + project.id();
        addApp(project.id(), "webhook", "{\"url\":\"" + receiver.url(hangPath) + "\"}", 0);
        addApp(project.id(), "webhook", "{\"url\":\"" + receiver.url(okPath) + "\"}", 1);
        List<String> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            events.add(event(UUID.randomUUID().toString(), "isolated", "user-" + i, "{}"));
        }
        capture(project.token(), events);

        Poll.until(Duration.ofSeconds(60), () -> receiver.received(okPath).size(), n -> n >= 40,
                "40 deliveries to the healthy destination");
        // The hanging destination takes 4 requests at a time, each held 1 s: it has not even made every first attempt
        // by the time the healthy one has all 40.
        long hangAttempts = receiver.received(hangPath).size();
        assertThat(hangAttempts).isLessThan(40);
        // Ingestion went on regardless: every event reaches ClickHouse.
        Poll.until(Duration.ofSeconds(60), () -> platform.clickhouse().scalarLong("SELECT count() FROM "
                + TestingPlatform.CLICKHOUSE_DATABASE + ".events WHERE team_id = " + project.id()), n -> n == 40,
                "the 40 events in ClickHouse");
    }

    @Test
    void privateLinkLocalAndMetadataTargetsAreRefused() throws Exception {
        var project = platform.createProject("ssrf");
        long metadata = addApp(project.id(), "webhook", "{\"url\":\"http://169.254.169.254/latest/meta-data/\"}", 0);
        long privateNet = addApp(project.id(), "webhook", "{\"url\":\"http://10.11.12.13:8080/hook\"}", 1);
        try (TopicTail dlq = new TopicTail(Topics.APP_DELIVERIES_DLQ)) {
            capture(project.token(), List.of(event(UUID.randomUUID().toString(), "probe", "u", "{}")));
            List<ConsumerRecord<String, byte[]>> dead = dlq.await(r -> header(r, "team_id").equals(Long.toString(project.id())),
                    2, Duration.ofSeconds(60));
            assertThat(dead).extracting(r -> header(r, "destination_id"))
                    .containsExactlyInAnyOrder(Long.toString(metadata), Long.toString(privateNet));
            assertThat(dead).allSatisfy(r -> {
                assertThat(header(r, "attempt")).isEqualTo("1");
                assertThat(header(r, "reason")).startsWith("target refused");
            });
            assertThat(dead).anySatisfy(r -> assertThat(header(r, "reason")).contains("link-local"));
            assertThat(dead).anySatisfy(r -> assertThat(header(r, "reason")).contains("a private address"));
        }
    }

    @Test
    void customerIoGetsTrackApiRequests() throws Exception {
        var project = platform.createProject("customerio");
        String base = "/ok/cio-" + project.id();
        addApp(project.id(), "customerio", "{\"siteId\":\"site-1\",\"apiKey\":\"key-1\",\"host\":\"" + receiver.url(base)
                + "\"}", 0);
        capture(project.token(), List.of(
                event(UUID.randomUUID().toString(), "$identify", "ana@example.com",
                        "{\"$set\":{\"email\":\"ana@example.com\",\"plan\":\"pro\"}}"),
                event(UUID.randomUUID().toString(), "purchase", "ana@example.com", "{\"amount\":42}")));

        List<WebhookReceiver.Received> got = Poll.until(Duration.ofSeconds(60), () -> receiver.received(base),
                list -> list.size() >= 2, "two Customer.io requests");
        String auth = "Basic " + Base64.getEncoder().encodeToString("site-1:key-1".getBytes(StandardCharsets.UTF_8));
        assertThat(got).allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo(auth));
        WebhookReceiver.Received identify = got.stream().filter(r -> r.method().equals("PUT")).findFirst().orElseThrow();
        assertThat(identify.path()).isEqualTo(base + "/api/v1/customers/ana%40example.com");
        assertThat(Json.read(identify.body()).path("plan").asString()).isEqualTo("pro");
        WebhookReceiver.Received purchase = got.stream().filter(r -> r.method().equals("POST")).findFirst().orElseThrow();
        assertThat(purchase.path()).isEqualTo(base + "/api/v1/customers/ana%40example.com/events");
        JsonNode body = Json.read(purchase.body());
        assertThat(body.path("name").asString()).isEqualTo("purchase");
        assertThat(body.path("data").path("amount").asInt()).isEqualTo(42);
        assertThat(body.path("timestamp").asLong()).isPositive();
    }

    @Test
    void aConfigurationChangeTakesEffectWithoutARestart() throws Exception {
        var project = platform.createProject("reload");
        String before = "/ok/reload-before-" + project.id();
        String after = "/ok/reload-after-" + project.id();
        long appId = addApp(project.id(), "webhook", "{\"url\":\"" + receiver.url(before) + "\"}", 0);
        capture(project.token(), List.of(event(UUID.randomUUID().toString(), "first", "u", "{}")));
        Poll.until(Duration.ofSeconds(60), () -> receiver.received(before).size(), n -> n == 1, "the first delivery");

        try (Connection connection = platform.postgres();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE app_config SET config = ?::jsonb, updated_at = now() WHERE id = ?")) {
            update.setString(1, "{\"url\":\"" + receiver.url(after) + "\"}");
            update.setLong(2, appId);
            update.executeUpdate();
        }
        long changed = System.nanoTime();
        // Keep sending until the new URL gets one: the registry re-reads a project's apps at most every 10 s.
        Poll.until(Duration.ofSeconds(30), () -> {
            capture(project.token(), List.of(event(UUID.randomUUID().toString(), "later", "u", "{}")));
            return receiver.received(after).size();
        }, n -> n >= 1, "a delivery to the new URL within 30 s");
        assertThat(Duration.ofNanos(System.nanoTime() - changed)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void aJavaScriptAppTransformsDropsAndComposesWebhooks() throws Exception {
        var project = platform.createProject("js");
        String path = "/ok/js-" + project.id();
        String source = """
                function processEvent(event, meta) {
                  if (event.event === 'drop_me') return null;
                  event.properties.js_touched = meta.config.tag;
                  return event;
                }
                function composeWebhook(event, meta) {
                  return { url: '%s', body: { e: event.event, touched: event.properties.js_touched } };
                }
                """.formatted(receiver.url(path));
        addApp(project.id(), "js", Json.write(Map.of("source", source, "tag", "from-js")), 0);
        capture(project.token(), List.of(event(UUID.randomUUID().toString(), "kept", "u1", "{}"),
                event(UUID.randomUUID().toString(), "drop_me", "u1", "{}"),
                event(UUID.randomUUID().toString(), "kept", "u2", "{}")));

        List<WebhookReceiver.Received> got = Poll.until(Duration.ofSeconds(60), () -> receiver.received(path),
                list -> list.size() >= 2, "two webhook requests composed in JS");
        assertThat(got).extracting(r -> Json.read(r.body()).path("touched").asString()).containsOnly("from-js");
        assertThat(got).extracting(r -> Json.read(r.body()).path("e").asString()).containsOnly("kept");
        Poll.until(Duration.ofSeconds(60), () -> platform.clickhouse().rows("SELECT event, visitParamExtractString(properties,"
                + " 'js_touched') AS touched FROM " + TestingPlatform.CLICKHOUSE_DATABASE + ".events WHERE team_id = "
                + project.id()), rows -> rows.size() == 2 && rows.stream().allMatch(r -> r.path("event").asString()
                .equals("kept") && r.path("touched").asString().equals("from-js")), "two transformed events, none dropped");
    }

    // --------------------------------------------------------------------------------------------------- helpers

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String event(String uuid, String name, String distinctId, String properties) {
        return "{\"event\":" + Json.write(name) + ",\"distinct_id\":" + Json.write(distinctId) + ",\"uuid\":\"" + uuid
                + "\",\"properties\":" + properties + "}";
    }

    private void capture(String token, List<String> events) {
        String body = "{\"api_key\":\"" + token + "\",\"batch\":[" + String.join(",", events) + "]}";
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(platform.captureUrl().resolve("/batch"))
                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long addApp(long teamId, String app, String config, int position) throws SQLException {
        try (Connection connection = platform.postgres();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO app_config (team_id, app, config, position) VALUES (?, ?, ?::jsonb, ?) RETURNING id")) {
            insert.setLong(1, teamId);
            insert.setString(2, app);
            insert.setString(3, config);
            insert.setInt(4, position);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** A new event uuid on the same partition of the stored-events topic as {@code uuid} (Kafka's default partitioner). */
    private static String uuidAfter(String uuid) {
        int partitions = Topics.SPECS.stream().filter(spec -> spec.name().equals(Topics.CLICKHOUSE_EVENTS_JSON))
                .findFirst().orElseThrow().partitions();
        int target = partitionOf(uuid, partitions);
        while (true) {
            String candidate = UUID.randomUUID().toString();
            if (partitionOf(candidate, partitions) == target) {
                return candidate;
            }
        }
    }

    private static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
