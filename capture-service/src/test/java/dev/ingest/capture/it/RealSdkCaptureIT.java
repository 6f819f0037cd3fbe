package dev.ingest.capture.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.posthog.server.PostHog;
import com.posthog.server.PostHogCaptureOptions;
import com.posthog.server.PostHogConfig;
import com.posthog.server.PostHogInterface;
import com.sun.net.httpserver.HttpServer;
import dev.ingest.common.json.Json;
import dev.ingest.common.kafka.Topics;
import dev.ingest.common.testing.NodeScripts;
import dev.ingest.common.testing.TopicTail;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The real SDKs, installed from their registries by ./platform test, send to capture-service as they would to
 * PostHog; each test checks what arrived on Kafka field by field. A missing SDK or browser fails the test.
 */
class RealSdkCaptureIT {
    /** What posthog-js needs of the remote config to turn autocapture on; gzip-js like PostHog Cloud. */
    private static final String REMOTE_CONFIG = "{\"supportedCompression\":[\"gzip\",\"gzip-js\"],\"autocapture_opt_out\":false,"
            + "\"hasFeatureFlags\":false,\"elementsChainAsString\":true,\"sessionRecording\":false,\"heatmaps\":false,"
            + "\"surveys\":false,\"capturePerformance\":false,\"captureDeadClicks\":false,\"autocaptureExceptions\":false}";

    private static TestingCapture capture;
    private final Queue<String> requests = new ConcurrentLinkedQueue<>();

    @BeforeAll
    static void start() {
        capture = TestingCapture.get();
    }

    /** Every message of this token's events, by event name. */
    private static Map<String, JsonNode> messagesByEvent(TopicTail tail, String token, int count) {
        List<ConsumerRecord<String, byte[]>> records = tail.await(r -> r.key() != null && r.key().startsWith(token + ":"),
                count, Duration.ofSeconds(60));
        return records.stream().map(r -> Json.read(new String(r.value(), StandardCharsets.UTF_8)))
                .collect(Collectors.toMap(m -> m.get("event").asString(), m -> m, (a, b) -> a));
    }

    private static double acceptedOn(String route) {
        return capture.bean(MeterRegistry.class).find("ingest_capture_events_accepted_total").tag("route", route)
                .counters().stream().mapToDouble(Counter::count).sum();
    }

    @Test
    void posthogNodeSendsCaptureIdentifyAliasAndGroupIdentifyThroughBatch() throws Exception {
        String token = TestingCapture.newToken();
        long teamId = capture.createProject(token);
        double batchBefore = acceptedOn("batch");
        try (TopicTail tail = new TopicTail(Topics.EVENTS_PLUGIN_INGESTION)) {
            NodeScripts.run("node-capture.cjs", capture.url("").toString().replaceAll("/$", ""), token);
            Map<String, JsonNode> events = messagesByEvent(tail, token, 4);
            assertThat(events.keySet()).containsExactlyInAnyOrder("order created", "$identify", "$create_alias", "$groupidentify");

            JsonNode order = events.get("order created");
            assertThat(order.get("distinct_id").asString()).isEqualTo("node-user-1");
            assertThat(order.get("team_id").asLong()).isEqualTo(teamId);
            assertThat(order.get("sent_at").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            JsonNode orderData = Json.read(order.get("data").asString());
            assertThat(orderData.at("/properties/amount").asInt()).isEqualTo(42);
            assertThat(orderData.at("/properties/$lib").asString()).isEqualTo("posthog-node");
            assertThat(orderData.get("uuid").asString()).isEqualTo(order.get("uuid").asString());
            assertThat(orderData.get("timestamp").asString()).endsWith("Z");

            JsonNode identify = Json.read(events.get("$identify").get("data").asString());
            assertThat(identify.at("/properties/$set/email").asString()).isEqualTo("node-user-1@example.com");
            JsonNode alias = Json.read(events.get("$create_alias").get("data").asString());
            assertThat(alias.at("/properties/alias").asString()).isEqualTo("node-alias-1");
            assertThat(events.get("$create_alias").get("distinct_id").asString()).isEqualTo("node-user-1");
            JsonNode group = events.get("$groupidentify");
            assertThat(group.get("distinct_id").asString()).isEqualTo("$company_acme");
            JsonNode groupData = Json.read(group.get("data").asString());
            assertThat(groupData.at("/properties/$group_type").asString()).isEqualTo("company");
            assertThat(groupData.at("/properties/$group_key").asString()).isEqualTo("acme");
            assertThat(groupData.at("/properties/$group_set/plan").asString()).isEqualTo("pro");
        }
        assertThat(acceptedOn("batch") - batchBefore).as("sent through /batch/").isGreaterThanOrEqualTo(4);
    }

    @Test
    void posthogJsInHeadlessChromiumSendsPageviewAutocaptureAndCustomEvents() throws Exception {
        String token = TestingCapture.newToken();
        capture.createProject(token);
        Path modules = NodeScripts.nodeModules();
        byte[] library = Files.readAllBytes(modules.resolve("posthog-js/dist/array.full.js"));
        // One origin for the SDK, as the platform's proxy gives it: the page and posthog-js, the remote config that
        // switches autocapture on (decide-service's job, not under test here), and everything else passed to capture.
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String apiHost = "http://127.0.0.1:" + server.getAddress().getPort();
        String page = NodeScripts.read("page.html").replace("__API_HOST__", apiHost).replace("__TOKEN__", token);
        HttpClient forward = HttpClient.newHttpClient();
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body;
            String contentType;
            int status = 200;
            if (path.equals("/") || path.equals("/index.html")) {
                body = page.getBytes(StandardCharsets.UTF_8);
                contentType = "text/html; charset=utf-8";
            } else if (path.equals("/array.full.js")) {
                body = library;
                contentType = "application/javascript";
            } else if (path.startsWith("/array/")) {
                body = REMOTE_CONFIG.getBytes(StandardCharsets.UTF_8);
                contentType = "application/json";
            } else {
                HttpRequest.Builder request = HttpRequest.newBuilder(capture.url(exchange.getRequestURI().getRawPath()
                                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery())))
                        .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes()));
                for (String header : List.of("Content-Type", "Content-Encoding", "Origin")) {
                    String value = exchange.getRequestHeaders().getFirst(header);
                    if (value != null) {
                        request.header(header, value);
                    }
                }
                try {
                    HttpResponse<byte[]> response = forward.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                    status = response.statusCode();
                    body = response.body();
                    contentType = response.headers().firstValue("Content-Type").orElse("application/json");
                    requests.add(exchange.getRequestMethod() + " " + path + " " + status);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            exchange.getResponseHeaders().add("Content-Type", contentType);
            exchange.getResponseHeaders().add("Access-Control-Allow-Origin", "*");
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        try (TopicTail tail = new TopicTail(Topics.EVENTS_PLUGIN_INGESTION)) {
            String pageUrl = apiHost + "/";
            NodeScripts.run("browser-capture.cjs", pageUrl);
            Map<String, JsonNode> events = messagesByEvent(tail, token, 3);
            assertThat(events.keySet()).contains("$pageview", "$autocapture", "custom event");

            JsonNode pageview = events.get("$pageview");
            JsonNode pageviewData = Json.read(pageview.get("data").asString());
            assertThat(pageviewData.at("/properties/$lib").asString()).isEqualTo("web");
            assertThat(pageviewData.at("/properties/$current_url").asString()).isEqualTo(pageUrl);
            assertThat(pageview.get("distinct_id").asString()).isEqualTo(pageviewData.at("/properties/distinct_id").asString());
            assertThat(pageview.get("uuid").asString()).isEqualTo(pageviewData.get("uuid").asString());

            JsonNode click = Json.read(events.get("$autocapture").get("data").asString());
            assertThat(click.at("/properties/$event_type").asString()).isEqualTo("click");
            String elements = click.at("/properties/$elements_chain").isMissingNode()
                    ? click.at("/properties/$elements").toString() : click.at("/properties/$elements_chain").asString();
            assertThat(elements).contains("button").contains("Buy now");

            JsonNode custom = Json.read(events.get("custom event").get("data").asString());
            assertThat(custom.at("/properties/plan").asString()).isEqualTo("pro");
            assertThat(custom.at("/properties/seats").asInt()).isEqualTo(3);
            assertThat(custom.at("/properties/nested/a/1").asInt()).isEqualTo(2);
            assertThat(custom.at("/properties/token").asString()).isEqualTo(token);
            assertThat(requests).as("events went to capture's event routes").anyMatch(r -> r.matches("POST /(e|i/v0/e)/ 200"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void posthogJavaSendsACapture() throws Exception {
        String token = TestingCapture.newToken();
        capture.createProject(token);
        try (TopicTail tail = new TopicTail(Topics.EVENTS_PLUGIN_INGESTION)) {
            PostHogInterface client = PostHog.with(new PostHogConfig.Builder(token)
                    .host(capture.url("").toString().replaceAll("/$", ""))
                    .flushAt(1)
                    .flushIntervalSeconds(1)
                    .build());
            client.capture("java-user-1", "java event",
                    PostHogCaptureOptions.builder().property("source", "posthog-java").property("count", 7).build());
            client.flush();
            Map<String, JsonNode> events = messagesByEvent(tail, token, 1);
            client.close();
            JsonNode message = events.get("java event");
            assertThat(message.get("distinct_id").asString()).isEqualTo("java-user-1");
            JsonNode data = Json.read(message.get("data").asString());
            assertThat(data.at("/properties/source").asString()).isEqualTo("posthog-java");
            assertThat(data.at("/properties/count").asInt()).isEqualTo(7);
            assertThat(data.at("/properties/$lib").asString()).isEqualTo("posthog-server");
        }
    }
}
