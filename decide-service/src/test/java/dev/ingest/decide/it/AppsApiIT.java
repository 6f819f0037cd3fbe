package dev.ingest.decide.it;

import static dev.ingest.decide.it.ApiResponse.assertValidationError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/projects/{id}/apps/} of decide-service on the test stack's PostgreSQL, driven over HTTP: CRUD of
 * app_config rows as plugin-service reads them, validation, authentication, project scope and the masking of
 * Customer.io's API key.
 */
class AppsApiIT {
    private static final String ADMIN = TestingDecide.BOOTSTRAP_KEY;
    private static final String CUSTOMERIO_KEY = "cio_0123456789abcdefWXYZ";

    private final TestingDecide decide = TestingDecide.get();

    @Test
    void createsListsReadsUpdatesAndDeletesApps() {
        long project = decide.createProject().id();
        String apps = "/api/projects/" + project + "/apps/";

        ApiResponse flattener = call("POST", apps, ADMIN,
                "{\"app\":\"property-flattener\",\"config\":{\"separator\":\"__\"},\"position\":2}");
        assertThat(flattener.status()).as(flattener.body()).isEqualTo(201);
        JsonNode created = flattener.json();
        long id = created.get("id").asLong();
        assertThat(created.get("app").asString()).isEqualTo("property-flattener");
        assertThat(created.get("config")).isEqualTo(Json.read("{\"separator\":\"__\"}"));
        assertThat(created.get("position").asInt()).isEqualTo(2);
        assertThat(created.get("enabled").asBoolean()).isTrue();
        Instant createdAt = Instant.parse(created.get("created_at").asString());
        assertThat(Instant.parse(created.get("updated_at").asString())).isEqualTo(createdAt);
        assertThat(names(created)).containsExactlyInAnyOrder(
                "id", "app", "config", "position", "enabled", "disabled_reason", "created_at", "updated_at");
        // Stored as plugin-service reads it.
        assertThat(decide.count("SELECT count(*) FROM app_config WHERE id = ? AND team_id = ? AND app = ?"
                + " AND config = '{\"separator\": \"__\"}'::jsonb AND position = 2 AND enabled", id, project,
                "property-flattener")).isEqualTo(1);

        long geoip = call("POST", apps, ADMIN, "{\"app\":\"geoip\",\"position\":0}").json().get("id").asLong();
        long filter = call("POST", apps, ADMIN, "{\"app\":\"event-filter\",\"config\":{\"events\":[\"$pageleave\"]},"
                + "\"position\":2,\"enabled\":false}").json().get("id").asLong();

        // Listed in the order they run: position, then id; disabled apps included.
        ApiResponse list = call("GET", apps, ADMIN, null);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("count").asLong()).isEqualTo(3);
        assertThat(ids(list.json().get("results"))).containsExactly(geoip, id, filter);
        assertThat(list.json().get("next").isNull()).isTrue();
        ApiResponse firstPage = call("GET", apps + "?limit=2", ADMIN, null);
        assertThat(ids(firstPage.json().get("results"))).containsExactly(geoip, id);
        assertThat(firstPage.json().get("next").asString()).contains("limit=2").contains("offset=2");
        assertThat(ids(call("GET", apps + "?limit=2&offset=2", ADMIN, null).json().get("results")))
                .containsExactly(filter);
        assertThat(call("GET", "/api/projects/" + project + "/apps", ADMIN, null).json().get("count").asLong())
                .isEqualTo(3);

        assertThat(call("GET", apps + id + "/", ADMIN, null).json()).isEqualTo(created);
        assertThat(call("GET", apps + id, ADMIN, null).json()).isEqualTo(created);

        ApiResponse patched = call("PATCH", apps + id + "/", ADMIN, "{\"enabled\":false,\"position\":-1}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().get("enabled").asBoolean()).isFalse();
        assertThat(patched.json().get("position").asInt()).isEqualTo(-1);
        assertThat(patched.json().get("config")).isEqualTo(created.get("config"));
        assertThat(patched.json().get("created_at")).isEqualTo(created.get("created_at"));
        Instant firstUpdate = Instant.parse(patched.json().get("updated_at").asString());
        assertThat(firstUpdate).isAfter(createdAt);

        ApiResponse reconfigured = call("PATCH", apps + id, ADMIN, "{\"config\":{\"separator\":\".\"}}");
        assertThat(reconfigured.json().get("config")).isEqualTo(Json.read("{\"separator\":\".\"}"));
        assertThat(Instant.parse(reconfigured.json().get("updated_at").asString())).isAfter(firstUpdate);
        assertThat(decide.count("SELECT count(*) FROM app_config WHERE id = ? AND config->>'separator' = '.'"
                + " AND NOT enabled", id)).isEqualTo(1);

        ApiResponse deleted = call("DELETE", apps + id + "/", ADMIN, null);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(decide.count("SELECT count(*) FROM app_config WHERE id = ?", id)).isZero();
        assertNotFound(call("GET", apps + id + "/", ADMIN, null));
        assertNotFound(call("PATCH", apps + id + "/", ADMIN, "{\"enabled\":true}"));
        assertNotFound(call("DELETE", apps + id + "/", ADMIN, null));
        assertNotFound(call("GET", apps + "abc/", ADMIN, null));
        assertThat(ids(call("GET", apps, ADMIN, null).json().get("results"))).containsExactly(geoip, filter);
    }

    @Test
    void refusesInvalidAppsWithTheFieldNamed() {
        long project = decide.createProject().id();
        String apps = "/api/projects/" + project + "/apps/";

        ApiResponse unknown = call("POST", apps, ADMIN, "{\"app\":\"mailchimp\"}");
        assertValidationError(unknown, "app");
        assertThat(unknown.json().get("detail").asString())
                .contains("geoip", "property-flattener", "event-filter", "webhook", "customerio", "js");
        assertValidationError(call("POST", apps, ADMIN, "{}"), "app");
        assertValidationError(call("POST", apps, ADMIN, "{\"app\":\"geoip\",\"config\":[1]}"), "config");
        assertValidationError(call("POST", apps, ADMIN, "{\"app\":\"geoip\",\"position\":\"first\"}"), "position");
        assertValidationError(call("POST", apps, ADMIN, "{\"app\":\"geoip\",\"position\":1.5}"), "position");
        assertValidationError(call("POST", apps, ADMIN, "{\"app\":\"webhook\",\"config\":{\"url\":\"example.com\"}}"),
                "config");
        assertValidationError(call("POST", apps, ADMIN, "{\"app\":\"webhook\",\"config\":{\"url\":\"file:///etc/passwd\"}}"),
                "config");
        assertValidationError(call("POST", apps, ADMIN, "{\"app\":\"customerio\",\"config\":{\"siteId\":\"s\"}}"),
                "config");
        assertValidationError(call("POST", apps, ADMIN, "{\"app\":\"js\",\"config\":{\"source\":\"\"}}"), "config");
        assertValidationError(call("POST", apps, ADMIN, "{\"app\":\"geoip\",\"config\":{\"padding\":\""
                + "x".repeat(256 * 1024) + "\"}}"), "config");
        assertValidationError(call("POST", apps, ADMIN, "{\"app\":\"geoip\",\"config\":{\"a\":\"\\u0000\"}}"), "config");

        ApiResponse notJson = call("POST", apps, ADMIN, "{\"app\":");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().get("code").asString()).isEqualTo("parse_error");
        ApiResponse tooLarge = call("POST", apps, ADMIN, "{\"app\":\"js\",\"config\":{\"source\":\""
                + "x".repeat(1024 * 1024) + "\"}}");
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.json().get("code").asString()).isEqualTo("payload_too_large");
        ApiResponse form = send(HttpRequest.newBuilder(decide.url(apps)).header("Authorization", "Bearer " + ADMIN)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("app=geoip")));
        assertThat(form.status()).isEqualTo(415);

        long webhook = call("POST", apps, ADMIN, "{\"app\":\"webhook\",\"config\":{\"url\":\"https://example.com/h\"}}")
                .json().get("id").asLong();
        assertValidationError(call("PATCH", apps + webhook + "/", ADMIN, "{\"app\":\"geoip\"}"), "app");
        assertValidationError(call("PATCH", apps + webhook + "/", ADMIN, "{\"config\":{\"url\":\"nope\"}}"), "config");
        assertValidationError(call("PATCH", apps + webhook + "/", ADMIN, "{\"enabled\":\"sometimes\"}"), "enabled");
        assertThat(call("GET", apps + webhook + "/", ADMIN, null).json().get("config").get("url").asString())
                .isEqualTo("https://example.com/h");
        assertThat(decide.count("SELECT count(*) FROM app_config WHERE team_id = ?", project)).isEqualTo(1);
    }

    @Test
    void customerIosApiKeyIsShownMaskedAndKeptWhenAPatchLeavesItOut() {
        long project = decide.createProject().id();
        String apps = "/api/projects/" + project + "/apps/";

        ApiResponse created = call("POST", apps, ADMIN, "{\"app\":\"customerio\",\"config\":{\"siteId\":\"site-1\","
                + "\"apiKey\":\"" + CUSTOMERIO_KEY + "\",\"host\":\"https://track-eu.customer.io\"}}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        JsonNode shown = created.json().get("config");
        assertThat(shown.get("apiKey").asString()).isEqualTo("********WXYZ");
        assertThat(shown.get("siteId").asString()).isEqualTo("site-1");
        assertThat(created.body()).doesNotContain(CUSTOMERIO_KEY);
        assertThat(call("GET", apps + id + "/", ADMIN, null).body()).doesNotContain(CUSTOMERIO_KEY).contains("********WXYZ");
        assertThat(call("GET", apps, ADMIN, null).body()).doesNotContain(CUSTOMERIO_KEY).contains("********WXYZ");
        assertThat(storedKeyIs(id, CUSTOMERIO_KEY)).isTrue();

        // Omitted while the host stays: kept.
        ApiResponse withoutKey = call("PATCH", apps + id + "/", ADMIN,
                "{\"config\":{\"siteId\":\"site-2\",\"host\":\"https://track-eu.customer.io\"}}");
        assertThat(withoutKey.status()).as(withoutKey.body()).isEqualTo(200);
        assertThat(withoutKey.json().get("config").get("siteId").asString()).isEqualTo("site-2");
        assertThat(withoutKey.json().get("config").get("host").asString()).isEqualTo("https://track-eu.customer.io");
        assertThat(withoutKey.json().get("config").get("apiKey").asString()).isEqualTo("********WXYZ");
        assertThat(storedKeyIs(id, CUSTOMERIO_KEY)).isTrue();

        // Omitted while the host changes (left out is the default host): refused, the key must come with it.
        ApiResponse moved = call("PATCH", apps + id + "/", ADMIN,
                "{\"config\":{\"siteId\":\"site-2\",\"host\":\"https://collector.attacker.example\"}}");
        assertThat(moved.status()).as(moved.body()).isEqualTo(400);
        assertThat(moved.json().get("attr").asString()).isEqualTo("config");
        assertThat(call("PATCH", apps + id + "/", ADMIN, "{\"config\":{\"siteId\":\"site-2\"}}").status()).isEqualTo(400);
        assertThat(storedKeyIs(id, CUSTOMERIO_KEY)).isTrue();

                // The config read back, changed and sent again (mask included): kept.
        JsonNode readBack = call("GET", apps + id + "/", ADMIN, null).json().get("config");
        String roundTrip = Json.write(readBack).replace("\"site-2\"", "\"site-3\"");
        assertThat(call("PATCH", apps + id + "/", ADMIN, "{\"config\":" + roundTrip + "}").status()).isEqualTo(200);
        assertThat(storedKeyIs(id, CUSTOMERIO_KEY)).isTrue();
        assertThat(decide.count("SELECT count(*) FROM app_config WHERE id = ? AND config->>'siteId' = 'site-3'", id))
                .isEqualTo(1);

        // A new key: replaced.
        ApiResponse rotated = call("PATCH", apps + id + "/", ADMIN,
                "{\"config\":{\"siteId\":\"site-3\",\"apiKey\":\"cio_rotated_key_9876\"}}");
        assertThat(rotated.json().get("config").get("apiKey").asString()).isEqualTo("********9876");
        assertThat(storedKeyIs(id, "cio_rotated_key_9876")).isTrue();
    }

    @Test
    void needsAKeyAndRefusesAKeyOfAnotherProject() {
        long a = decide.createProject().id();
        long b = decide.createProject().id();
        String keyA = createKey("apps a", a);
        String keyB = createKey("apps b", b);
        String appsA = "/api/projects/" + a + "/apps/";
        long appA = call("POST", appsA, keyA, "{\"app\":\"geoip\"}").json().get("id").asLong();

        for (String[] route : new String[][] {
                {"GET", appsA}, {"POST", appsA}, {"GET", appsA + appA + "/"}, {"PATCH", appsA + appA + "/"},
                {"DELETE", appsA + appA + "/"}}) {
            ApiResponse missing = call(route[0], route[1], null, "{\"app\":\"geoip\",\"enabled\":false}");
            assertThat(missing.status()).as(route[0] + " " + route[1]).isEqualTo(401);
            assertThat(missing.json().get("code").asString()).isEqualTo("not_authenticated");
            assertThat(call(route[0], route[1], "phx_unknown", "{}").status()).isEqualTo(401);

            ApiResponse foreign = call(route[0], route[1], keyB, "{\"app\":\"geoip\",\"enabled\":false}");
            assertThat(foreign.status()).as(route[0] + " " + route[1]).isEqualTo(403);
            assertThat(foreign.json().get("code").asString()).isEqualTo("permission_denied");
        }
        assertThat(decide.count("SELECT count(*) FROM app_config WHERE team_id = ?", a)).isEqualTo(1);
        assertThat(decide.count("SELECT count(*) FROM app_config WHERE id = ? AND enabled", appA)).isEqualTo(1);

        // Project isolation: B's own routes never reach A's app, not even with A's app id.
        String appsB = "/api/projects/" + b + "/apps/";
        ApiResponse listB = call("GET", appsB, keyB, null);
        assertThat(listB.json().get("count").asLong()).isZero();
        assertThat(listB.json().get("results")).isEmpty();
        assertNotFound(call("GET", appsB + appA + "/", keyB, null));
        assertNotFound(call("PATCH", appsB + appA + "/", keyB, "{\"enabled\":false}"));
        assertNotFound(call("DELETE", appsB + appA + "/", keyB, null));
        assertThat(decide.count("SELECT count(*) FROM app_config WHERE id = ? AND team_id = ? AND enabled", appA, a))
                .isEqualTo(1);
        assertThat(ids(call("GET", appsA, keyA, null).json().get("results"))).containsExactly(appA);
        assertNotFound(call("GET", "/api/projects/987654321/apps/", ADMIN, null));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers

    private boolean storedKeyIs(long id, String key) {
        return decide.count("SELECT count(*) FROM app_config WHERE id = ? AND config->>'apiKey' = ?", id, key) == 1;
    }

    private String createKey(String label, long project) {
        ApiResponse response = call("POST", "/api/personal_api_keys/", ADMIN,
                "{\"label\":\"" + label + "\",\"scoped_teams\":[" + project + "]}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("value").asString();
    }

    private static void assertNotFound(ApiResponse response) {
        assertThat(response.status()).as(response.body()).isEqualTo(404);
        assertThat(response.json().get("code").asString()).isEqualTo("not_found");
    }

    private static List<Long> ids(JsonNode array) {
        List<Long> ids = new ArrayList<>();
        array.forEach(item -> ids.add(item.get("id").asLong()));
        return ids;
    }

    private static List<String> names(JsonNode object) {
        return List.copyOf(object.propertyNames());
    }

    private ApiResponse call(String method, String path, String key, String body) {
        HttpRequest.BodyPublisher publisher = body == null || method.equals("GET") || method.equals("DELETE")
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(decide.url(path))
                .header("Content-Type", "application/json").method(method, publisher);
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return send(request);
    }

    private ApiResponse send(HttpRequest.Builder request) {
        HttpResponse<String> response = decide.send(request);
        return new ApiResponse(response.statusCode(), response.body());
    }
}
