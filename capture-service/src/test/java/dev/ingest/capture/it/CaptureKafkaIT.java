package dev.ingest.capture.it;

import static org.assertj.core.api.Assertions.assertThat;

import blazing.chain.LZSEncoding;
import dev.ingest.common.json.Json;
import dev.ingest.common.kafka.Topics;
import dev.ingest.common.testing.TopicTail;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Every route, encoding, shape, error and routing rule of capture, through the real Kafka broker. */
class CaptureKafkaIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static TestingCapture capture;
    private static TopicTail main;
    private static TopicTail overflow;
    private static TopicTail historical;
    private static String token;
    private static long teamId;

    @BeforeAll
    static void start() {
        capture = TestingCapture.get();
        token = TestingCapture.newToken();
        teamId = capture.createProject(token);
        capture.createProject(TestingCapture.OVERFLOW_TOKEN);
        capture.createProject(TestingCapture.HISTORICAL_TOKEN);
        main = new TopicTail(Topics.EVENTS_PLUGIN_INGESTION);
        overflow = new TopicTail(Topics.EVENTS_PLUGIN_INGESTION_OVERFLOW);
        historical = new TopicTail(Topics.EVENTS_PLUGIN_INGESTION_HISTORICAL);
    }

    @AfterAll
    static void stop() {
        main.close();
        overflow.close();
        historical.close();
    }

    private static String event(String uuid, String distinctId) {
        return "{\"event\":\"$pageview\",\"distinct_id\":\"" + distinctId + "\",\"uuid\":\"" + uuid
                + "\",\"timestamp\":\"2026-01-02T03:04:05.678Z\",\"properties\":{\"$current_url\":\"https://x.test/\"}}";
    }

    private static JsonNode awaitOne(TopicTail tail, String uuid) {
        List<ConsumerRecord<String, byte[]>> records = tail.await(r -> new String(r.value(), StandardCharsets.UTF_8)
                .contains(uuid), 1, WAIT);
        assertThat(records).hasSize(1);
        return Json.read(new String(records.getFirst().value(), StandardCharsets.UTF_8));
    }

    private static ConsumerRecord<String, byte[]> awaitRecord(TopicTail tail, String uuid) {
        return tail.await(r -> new String(r.value(), StandardCharsets.UTF_8).contains(uuid), 1, WAIT).getFirst();
    }

    @Test
    void singleJsonEventBecomesPostHogsKafkaMessageKeyedByTokenAndDistinctId() {
        String uuid = UUID.randomUUID().toString();
        String body = "{\"api_key\":\"" + token + "\"," + event(uuid, "user-json").substring(1);
        HttpResponse<String> response = capture.post("/capture/", utf8(body), "Content-Type", "application/json",
                "X-Forwarded-For", "203.0.113.9");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"status\":1}");

        ConsumerRecord<String, byte[]> record = awaitRecord(main, uuid);
        assertThat(record.key()).isEqualTo(token + ":user-json");
        assertThat(new String(record.headers().lastHeader("token").value(), StandardCharsets.UTF_8)).isEqualTo(token);
        assertThat(new String(record.headers().lastHeader("uuid").value(), StandardCharsets.UTF_8)).isEqualTo(uuid);
        JsonNode message = Json.read(new String(record.value(), StandardCharsets.UTF_8));
        assertThat(message.get("uuid").asString()).isEqualTo(uuid);
        assertThat(message.get("distinct_id").asString()).isEqualTo("user-json");
        // The test client connects from loopback, a trusted proxy by default, so X-Forwarded-For is believed.
        assertThat(message.get("ip").asString()).isEqualTo("203.0.113.9");
        assertThat(message.get("token").asString()).isEqualTo(token);
        assertThat(message.get("team_id").asLong()).isEqualTo(teamId);
        assertThat(message.get("event").asString()).isEqualTo("$pageview");
        assertThat(message.get("now").asString()).endsWith("Z");
        JsonNode data = Json.read(message.get("data").asString());
        assertThat(data.get("uuid").asString()).isEqualTo(uuid);
        assertThat(data.get("timestamp").asString()).as("timestamps kept verbatim").isEqualTo("2026-01-02T03:04:05.678Z");
        assertThat(data.at("/properties/$current_url").asString()).isEqualTo("https://x.test/");
    }

    @Test
    void gzipBatchOnBatchRouteCarriesSentAtAndEveryEvent() {
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        String body = "{\"api_key\":\"" + token + "\",\"sent_at\":\"2026-01-02T03:04:06.000Z\",\"batch\":["
                + event(first, "node-1") + "," + event(second, "node-2") + "]}";
        HttpResponse<String> response = capture.post("/batch/", gzip(body), "Content-Type", "application/json",
                "Content-Encoding", "gzip");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(awaitOne(main, first).get("sent_at").asString()).isEqualTo("2026-01-02T03:04:06.000Z");
        assertThat(awaitOne(main, second).get("distinct_id").asString()).isEqualTo("node-2");
    }

    @Test
    void gzipJsArrayAsPostHogJsSendsItWithNoContentType() {
        String uuid = UUID.randomUUID().toString();
        String body = "[{\"event\":\"$autocapture\",\"uuid\":\"" + uuid + "\",\"properties\":{\"token\":\"" + token
                + "\",\"distinct_id\":\"browser-1\"}}]";
        HttpResponse<String> response = capture.post("/e/?compression=gzip-js&ver=1.449.2&_=1767323045678", gzip(body),
                "Content-Type", "text/plain");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode message = awaitOne(main, uuid);
        assertThat(message.get("distinct_id").asString()).isEqualTo("browser-1");
        assertThat(message.get("sent_at").asString()).isEqualTo("2026-01-02T03:04:05.678Z");
    }

    @Test
    void base64FormBodyWithPlusSignsSentAsIsOrTurnedIntoSpaces() {
        // From Django's test_base64_decode_variations (posthog/api/test/test_capture.py):
        // {"event":"$pageview","properties":{"distinct_id":"eeeeeeegϥeeeee"}}
        String data = "eyJldmVudCI6IiRwYWdldmlldyIsInByb3BlcnRpZXMiOnsiZGlzdGluY3RfaWQiOiJlZWVlZWVlZ8+lZWVlZWUifX0=";
        String fresh = TestingCapture.newToken();
        capture.createProject(fresh);
        for (String encoded : List.of(URLEncoder.encode(data, StandardCharsets.UTF_8), data.replace('+', ' '))) {
            String form = "data=" + encoded + "&api_key=" + fresh;
            HttpResponse<String> response = capture.post("/track/", utf8(form), "Content-Type", "application/x-www-form-urlencoded");
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
        List<ConsumerRecord<String, byte[]>> records = main.await(r -> (fresh + ":eeeeeeegϥeeeee").equals(r.key()), 2, WAIT);
        for (ConsumerRecord<String, byte[]> record : records) {
            assertThat(Json.read(new String(record.value(), StandardCharsets.UTF_8)).get("distinct_id").asString())
                    .isEqualTo("eeeeeeegϥeeeee");
        }
    }

    @Test
    void lzStringBodyWithAnEmojiEventName() {
        String uuid = UUID.randomUUID().toString();
        String json = "{\"api_key\":\"" + token + "\",\"batch\":[{\"event\":\"🤓\",\"distinct_id\":\"2\",\"uuid\":\"" + uuid + "\"}]}";
        HttpResponse<String> response = capture.post("/batch/", utf8(LZSEncoding.compressToBase64(json)),
                "Content-Type", "application/json", "Content-Encoding", "lz64");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(Json.read(awaitOne(main, uuid).get("data").asString()).get("event").asString()).isEqualTo("🤓");
    }

    @Test
    void legacyEngageGetBecomesIdentify() {
        String data = "{\"$set\":{\"$os\":\"Mac OS X\"},\"$token\":\"" + token + "\",\"$distinct_id\":3,\"$user_id\":3}";
        HttpResponse<String> response = capture.send(HttpRequest.newBuilder(capture.url("/engage/?data="
                + URLEncoder.encode(data, StandardCharsets.UTF_8))).GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        ConsumerRecord<String, byte[]> record = main.await(r -> (token + ":3").equals(r.key())
                && new String(r.value(), StandardCharsets.UTF_8).contains("Mac OS X"), 1, WAIT).getFirst();
        JsonNode message = Json.read(new String(record.value(), StandardCharsets.UTF_8));
        assertThat(message.get("event").asString()).isEqualTo("$identify");
        assertThat(message.get("distinct_id").asString()).isEqualTo("3");
    }

    @Test
    void beaconRequestsAreAnsweredNoContent() {
        String uuid = UUID.randomUUID().toString();
        String body = "{\"api_key\":\"" + token + "\"," + event(uuid, "beacon").substring(1);
        HttpResponse<String> response = capture.post("/e/?beacon=1", utf8(body), "Content-Type", "text/plain");
        assertThat(response.statusCode()).isEqualTo(204);
        awaitOne(main, uuid);
    }

    @Test
    void everyRouteWithAndWithoutTrailingSlashAcceptsEvents() {
        for (String route : List.of("/e", "/e/", "/i/v0/e", "/i/v0/e/", "/capture", "/capture/", "/track", "/track/",
                "/engage", "/engage/", "/batch", "/batch/")) {
            String uuid = UUID.randomUUID().toString();
            String body = "{\"api_key\":\"" + token + "\"," + event(uuid, "routes").substring(1);
            assertThat(capture.post(route, utf8(body), "Content-Type", "application/json").statusCode()).as(route).isEqualTo(200);
            awaitOne(main, uuid);
        }
        HttpResponse<String> options = capture.send(HttpRequest.newBuilder(capture.url("/e/"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://app.example.com:8443"));
        assertThat(options.statusCode()).isEqualTo(200);
        assertThat(options.body()).isEqualTo("{\"status\":1}");
        assertThat(options.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com:8443");
        assertThat(options.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
    }

    @Test
    void unknownTokenIsRejectedWithAuthenticationErrorAndNothingIsWritten() {
        String uuid = UUID.randomUUID().toString();
        String body = "{\"api_key\":\"phc_nobody_has_this\"," + event(uuid, "x").substring(1);
        HttpResponse<String> response = capture.post("/e/", utf8(body), "Content-Type", "application/json");
        assertThat(response.statusCode()).isEqualTo(401);
        JsonNode error = Json.read(response.body());
        assertThat(error.get("type").asString()).isEqualTo("authentication_error");
        assertThat(error.get("code").asString()).isEqualTo("invalid_api_key");
        assertThat(main.drain(r -> new String(r.value(), StandardCharsets.UTF_8).contains(uuid), Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    void badInputGetsFourHundredsWithPostHogsErrorBody() {
        assertError(capture.post("/e/", utf8("{\"event\": \"x\",}"), "Content-Type", "application/json"), 400, "invalid_payload");
        assertError(capture.post("/e/", new byte[0], "Content-Type", "application/json"), 400, "no_data");
        assertError(capture.post("/e/", utf8("{\"event\":\"e\",\"distinct_id\":\"d\"}"), "Content-Type", "application/json"),
                401, "missing_api_key");
        assertError(capture.post("/e/", utf8("{\"event\":\"e\",\"distinct_id\":\"d\",\"api_key\":\"phx_personal\"}"),
                "Content-Type", "application/json"), 401, "personal_api_key");
        assertError(capture.post("/e/", utf8("{\"api_key\":\"" + token + "\",\"event\":\"e\",\"distinct_id\":\"d\",\"uuid\":\"nope\"}"),
                "Content-Type", "application/json"), 400, "invalid_payload");
        assertError(capture.post("/e/?compression=gzip", utf8("not gzip at all"), "Content-Type", "text/plain"), 400,
                "invalid_payload");
        assertError(capture.send(HttpRequest.newBuilder(capture.url("/e/")).PUT(HttpRequest.BodyPublishers.ofString("{}"))),
                405, "method_not_allowed");
    }

    @Test
    void bodiesOverTheRouteLimitsAreRejectedWithPayloadTooLarge() {
        byte[] overEventLimit = new byte[2 * 1024 * 1024 + 1];
        Arrays.fill(overEventLimit, (byte) ' ');
        HttpResponse<String> tooLarge = capture.post("/e/", overEventLimit, "Content-Type", "application/json");
        assertError(tooLarge, 413, "payload_too_large");
        assertThat(Json.read(tooLarge.body()).get("detail").asString()).contains("event body limit").contains("2097152");

        // The same 2 MiB body is fine on /batch, whose limit is 20 MiB (it is only white space: no data).
        assertError(capture.post("/batch/", overEventLimit, "Content-Type", "application/json"), 400, "no_data");
        byte[] overBatchLimit = new byte[20 * 1024 * 1024 + 1];
        assertError(capture.post("/batch/", overBatchLimit, "Content-Type", "application/json"), 413, "payload_too_large");

        // A gzip bomb: 30 MB of zeros in about 30 KB.
        byte[] bomb = gzip(" ".repeat(30 * 1024 * 1024));
        HttpResponse<String> bombResponse = capture.post("/batch/", bomb, "Content-Type", "application/json");
        assertError(bombResponse, 413, "payload_too_large");
        assertThat(Json.read(bombResponse.body()).get("detail").asString()).contains("Decompressed");
    }

    @Test
    void historicalBatchesAndHistoricalTokensGoToTheHistoricalTopicKeyed() {
        String flagged = UUID.randomUUID().toString();
        String body = "{\"api_key\":\"" + token + "\",\"historical_migration\":true,\"batch\":[" + event(flagged, "import-1") + "]}";
        assertThat(capture.post("/batch/", utf8(body), "Content-Type", "application/json").statusCode()).isEqualTo(200);
        ConsumerRecord<String, byte[]> record = awaitRecord(historical, flagged);
        assertThat(record.key()).isEqualTo(token + ":import-1");
        assertThat(Json.read(new String(record.value(), StandardCharsets.UTF_8)).get("historical_migration").asBoolean()).isTrue();

        String configured = UUID.randomUUID().toString();
        String single = "{\"api_key\":\"" + TestingCapture.HISTORICAL_TOKEN + "\"," + event(configured, "import-2").substring(1);
        assertThat(capture.post("/e/", utf8(single), "Content-Type", "application/json").statusCode()).isEqualTo(200);
        assertThat(awaitRecord(historical, configured).key()).isEqualTo(TestingCapture.HISTORICAL_TOKEN + ":import-2");
        assertThat(main.drain(r -> new String(r.value(), StandardCharsets.UTF_8).contains(configured), Duration.ofMillis(500)))
                .isEmpty();
    }

    @Test
    void eventsOlderThanTheHistoricalAgeGoToTheHistoricalTopic() {
        String old = UUID.randomUUID().toString();
        String recent = UUID.randomUUID().toString();
        String oldTimestamp = Instant.now().minus(Duration.ofDays(TestingCapture.HISTORICAL_AGE_DAYS + 30)).toString();
        String body = "{\"api_key\":\"" + token + "\",\"batch\":[" + event(recent, "backfill")
                + ",{\"event\":\"$pageview\",\"distinct_id\":\"backfill\",\"uuid\":\"" + old + "\",\"timestamp\":\""
                + oldTimestamp + "\"}]}";
        assertThat(capture.post("/batch/", utf8(body), "Content-Type", "application/json").statusCode()).isEqualTo(200);
        assertThat(awaitRecord(historical, old).key()).isEqualTo(token + ":backfill");
        awaitOne(main, recent);
    }

    @Test
    void keysOverTheirRateGoToTheOverflowTopicWithoutAKey() {
        String uuid = UUID.randomUUID().toString();
        String body = "{\"api_key\":\"" + TestingCapture.OVERFLOW_TOKEN + "\"," + event(uuid, "hot-user").substring(1);
        assertThat(capture.post("/e/", utf8(body), "Content-Type", "application/json").statusCode()).isEqualTo(200);
        assertThat(awaitRecord(overflow, uuid).key()).isNull();

        String cold = UUID.randomUUID().toString();
        String coldBody = "{\"api_key\":\"" + TestingCapture.OVERFLOW_TOKEN + "\"," + event(cold, "cold-user").substring(1);
        assertThat(capture.post("/e/", utf8(coldBody), "Content-Type", "application/json").statusCode()).isEqualTo(200);
        assertThat(awaitRecord(main, cold).key()).isEqualTo(TestingCapture.OVERFLOW_TOKEN + ":cold-user");
    }

    @Test
    void aProjectCreatedAMomentAgoIsAcceptedWithinSeconds() throws InterruptedException {
        String fresh = TestingCapture.newToken();
        String uuid = UUID.randomUUID().toString();
        String body = "{\"api_key\":\"" + fresh + "\"," + event(uuid, "new").substring(1);
        assertThat(capture.post("/e/", utf8(body), "Content-Type", "application/json").statusCode()).isEqualTo(401);
        capture.createProject(fresh);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int status = 0;
        while (System.nanoTime() < deadline && status != 200) {
            Thread.sleep(250);
            status = capture.post("/e/", utf8(body), "Content-Type", "application/json").statusCode();
        }
        assertThat(status).isEqualTo(200);
    }

    private static void assertError(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode body = Json.read(response.body());
        assertThat(body.get("code").asString()).isEqualTo(code);
        assertThat(body.has("type") && body.has("detail") && body.has("attr")).isTrue();
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(utf8(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
