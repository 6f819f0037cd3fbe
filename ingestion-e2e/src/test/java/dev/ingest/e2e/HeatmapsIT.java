package dev.ingest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import dev.ingest.common.testing.NodeScripts;
import dev.ingest.common.testing.Poll;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Heatmaps through the whole platform: points of {@code $$heatmap} events and the scroll depth of page views become
 * rows of ClickHouse's heatmaps table, heatmap events are never stored as events, a project that turned heatmaps off
 * keeps none, and posthog-js in Chromium, switched on only by the project's remote configuration, sends clicks that
 * land with the right cell and URL.
 */
class HeatmapsIT {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void heatmapEventsAndScrollDepthBecomeHeatmapRows() throws Exception {
        TestingPlatform platform = TestingPlatform.get();
        TestingPlatform.TestProject project = platform.createProject("heatmaps");
        String heatmapUuid = UUID.randomUUID().toString();
        String pageviewUuid = UUID.randomUUID().toString();
        Instant at = Instant.parse("2026-12-01T09:30:00Z");
        send(platform.captureUrl(), "{\"api_key\":\"" + project.token() + "\",\"batch\":["
                + "{\"event\":\"$$heatmap\",\"distinct_id\":\"visitor\",\"uuid\":\"" + heatmapUuid + "\",\"timestamp\":\"" + at
                + "\",\"properties\":{\"$viewport_width\":1280,\"$viewport_height\":720,\"$session_id\":\"s-1\","
                + "\"$heatmap_data\":{\"https://shop.example/cart\":[{\"x\":100,\"y\":200,\"target_fixed\":false,\"type\":\"click\"},"
                + "{\"x\":100,\"y\":200,\"target_fixed\":true,\"type\":\"rageclick\"}]}}},"
                + "{\"event\":\"$pageview\",\"distinct_id\":\"visitor\",\"uuid\":\"" + pageviewUuid + "\",\"timestamp\":\"" + at
                + "\",\"properties\":{\"$viewport_width\":1280,\"$viewport_height\":720,\"$session_id\":\"s-1\","
                + "\"$current_url\":\"https://shop.example/checkout?step=2\",\"$prev_pageview_pathname\":\"/cart\","
                + "\"$prev_pageview_max_scroll\":1600,\"$heatmap_data\":{}}}]}");

        String team = " WHERE team_id = " + project.id();
        List<JsonNode> rows = Poll.until(Duration.ofSeconds(90), () -> platform.clickhouse().rows("SELECT type, x, y,"
                        + " scale_factor, viewport_width, viewport_height, pointer_target_fixed, current_url, session_id,"
                        + " distinct_id, toString(timestamp) AS at FROM posthog.heatmaps" + team + " ORDER BY type"),
                found -> found.size() >= 3, "three heatmap rows");
        assertThat(rows).extracting(r -> r.get("type").asString() + " " + r.get("x").asInt() + "," + r.get("y").asInt()
                        + " fixed=" + r.get("pointer_target_fixed").asInt() + " " + r.get("current_url").asString())
                .containsExactly("click 6,13 fixed=0 https://shop.example/cart",
                        "rageclick 6,13 fixed=1 https://shop.example/cart",
                        "scrolldepth 0,100 fixed=0 https://shop.example/cart?step=2");
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.get("scale_factor").asInt()).isEqualTo(16);
            assertThat(row.get("viewport_width").asInt()).isEqualTo(80);
            assertThat(row.get("viewport_height").asInt()).isEqualTo(45);
            assertThat(row.get("session_id").asString()).isEqualTo("s-1");
            assertThat(row.get("distinct_id").asString()).isEqualTo("visitor");
            assertThat(row.get("at").asString()).startsWith("2026-12-01 09:30:00");
        });
        JsonNode pageview = Poll.until(Duration.ofSeconds(90), () -> platform.clickhouse().rows("SELECT event, properties"
                + " FROM posthog.events" + team), found -> !found.isEmpty(), "the page view").getFirst();
        assertThat(pageview.get("event").asString()).isEqualTo("$pageview");
        JsonNode properties = Json.read(pageview.get("properties").asString());
        assertThat(properties.has("$heatmap_data")).as("heatmap data is not stored with the event").isFalse();
        assertThat(properties.get("$prev_pageview_max_scroll").asInt()).isEqualTo(1600);
        assertThat(platform.clickhouse().scalarLong("SELECT count() FROM posthog.events" + team
                + " AND event = '$$heatmap'")).as("heatmap events are not events").isZero();
    }

    @Test
    void aProjectThatTurnedHeatmapsOffKeepsNoHeatmapEvents() throws Exception {
        TestingPlatform platform = TestingPlatform.get();
        TestingPlatform.TestProject off = platform.createProject("heatmaps off");
        platform.api(off, "PATCH", "/", "{\"heatmaps_opt_in\":false}", 200);
        String points = "\"properties\":{\"$viewport_width\":1280,\"$viewport_height\":720,"
                + "\"$heatmap_data\":{\"https://a.example/\":[{\"x\":1,\"y\":1,\"target_fixed\":false,\"type\":\"click\"}]}}";
        send(platform.captureUrl(), "{\"api_key\":\"" + off.token() + "\",\"event\":\"$$heatmap\",\"distinct_id\":\"v\","
                + points + "}");
        // A marker event after it: once the marker is stored, the heatmap event has been processed too.
        send(platform.captureUrl(), "{\"api_key\":\"" + off.token() + "\",\"event\":\"marker\",\"distinct_id\":\"v\"}");
        String team = " WHERE team_id = " + off.id();
        Poll.until(Duration.ofSeconds(90), () -> platform.clickhouse().scalarLong("SELECT count() FROM posthog.events"
                + team + " AND event = 'marker'"), count -> count == 1, "the marker event");
        assertThat(platform.clickhouse().scalarLong("SELECT count() FROM posthog.heatmaps" + team)).isZero();
        assertThat(platform.clickhouse().scalarLong("SELECT count() FROM posthog.events" + team
                + " AND event = '$$heatmap'")).isZero();
    }

    @Test
    void posthogJsInChromiumSendsClicksOnceTheProjectTurnsHeatmapsOn() throws Exception {
        TestingPlatform platform = TestingPlatform.get();
        TestingPlatform.TestProject project = platform.createProject("heatmaps browser");
        JsonNode patched = platform.api(project, "PATCH", "/", "{\"heatmaps_opt_in\":true}", 200);
        assertThat(patched.get("heatmaps_opt_in").asBoolean()).isTrue();
        try (SdkSite address = new SdkSite(platform, project.token(), "heatmap-page.html")) {
            String pageUrl = address.url() + "/";
            NodeScripts.run("heatmap-browser.cjs", pageUrl);
            String team = " WHERE team_id = " + project.id();
            List<JsonNode> clicks = Poll.until(Duration.ofSeconds(90), () -> platform.clickhouse().rows("SELECT x, y,"
                            + " viewport_width, viewport_height, pointer_target_fixed, current_url, distinct_id, session_id"
                            + " FROM posthog.heatmaps" + team + " AND type = 'click'"), found -> !found.isEmpty(),
                    "the click's heatmap row");
            assertThat(clicks).singleElement().satisfies(click -> {
                // The target's centre is at (176, 336) in a 1280 x 720 viewport; cells are 16 pixels.
                assertThat(click.get("x").asInt()).isEqualTo(11);
                assertThat(click.get("y").asInt()).isEqualTo(21);
                assertThat(click.get("viewport_width").asInt()).isEqualTo(80);
                assertThat(click.get("viewport_height").asInt()).isEqualTo(45);
                assertThat(click.get("pointer_target_fixed").asInt()).isZero();
                assertThat(click.get("current_url").asString()).isEqualTo(pageUrl);
                assertThat(click.get("distinct_id").asString()).isNotBlank();
                assertThat(click.get("session_id").asString()).isNotBlank().isNotEqualTo("undefined");
            });
            String distinctId = clicks.getFirst().get("distinct_id").asString();
            Poll.until(Duration.ofSeconds(90), () -> platform.clickhouse().scalarLong("SELECT count() FROM posthog.events"
                    + team + " AND event = '$pageview' AND distinct_id = '" + distinctId.replace("'", "") + "'"),
                    count -> count == 1, "the page view of the same visitor");
            assertThat(platform.clickhouse().scalarLong("SELECT count() FROM posthog.events" + team
                    + " AND event = '$$heatmap'")).isZero();
        }
    }

    private void send(URI capture, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(capture.resolve(body.contains("\"batch\"")
                        ? "/batch/" : "/e/")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
}
