package dev.ingest.plugin.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingest.common.json.Json;
import dev.ingest.plugin.apps.AppContext;
import dev.ingest.plugin.apps.WebhookRequest;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class WebhookDestinationTest {
    private static final AppContext META = new AppContext(1, "webhook", 5, "u-1", "ana");

    private static ObjectNode event(String name) {
        return (ObjectNode) Json.read("""
                {"uuid":"u-1","event":"%s","distinct_id":"ana","team_id":1,"timestamp":"2026-11-30T20:00:00Z",
                 "properties":{"plan":"pro","n":3,"nested":{"a":1}},
                 "person":{"uuid":"p-1","properties":{"email":"ana@example.com"},"created_at":"2026-11-01T00:00:00Z"}}
                """.formatted(name));
    }

    private static WebhookDestination webhook(String config) {
        return WebhookDestination.fromConfig(Json.read(config));
    }

    @Test
    void withoutATemplateTheBodyIsTheWholeEvent() {
        WebhookRequest request = webhook("{\"url\":\"https://hooks.example/x\"}").composeWebhook(event("signed_up"), META)
                .orElseThrow();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.url().toString()).isEqualTo("https://hooks.example/x");
        assertThat(request.headers()).containsEntry("Content-Type", "application/json");
        assertThat(Json.read(request.body())).isEqualTo(event("signed_up"));
    }

    @Test
    void aWholePlaceholderKeepsItsJsonTypeAndTextPlaceholdersAreSplicedIn() {
        WebhookRequest request = webhook("""
                {"url":"https://hooks.example/x","template":{"text":"{{event}} by {{person.properties.email}} ({{n}})",
                 "plan":"{{properties.plan}}","n":"{{properties.n}}","props":"{{properties.nested}}",
                 "missing":"{{properties.nope}}","list":["{{distinct_id}}", 7]}}
                """).composeWebhook(event("signed_up"), META).orElseThrow();
        JsonNode body = Json.read(request.body());
        assertThat(body.path("text").asString()).isEqualTo("signed_up by ana@example.com ()");
        assertThat(body.path("plan").asString()).isEqualTo("pro");
        assertThat(body.path("n").isNumber()).isTrue();
        assertThat(body.path("props").path("a").asInt()).isEqualTo(1);
        assertThat(body.path("missing").isNull()).isTrue();
        assertThat(body.path("list").get(0).asString()).isEqualTo("ana");
        assertThat(body.path("list").get(1).asInt()).isEqualTo(7);
    }

    @Test
    void onlyTheListedEventsAreSent() {
        WebhookDestination destination = webhook("{\"url\":\"https://hooks.example/x\",\"events\":[\"paid\"]}");
        assertThat(destination.composeWebhook(event("signed_up"), META)).isEqualTo(Optional.empty());
        assertThat(destination.composeWebhook(event("paid"), META)).isPresent();
    }

    @Test
    void methodAndHeadersComeFromTheConfig() {
        WebhookRequest request = webhook("{\"url\":\"http://hooks.example/x\",\"method\":\"put\","
                + "\"headers\":{\"Authorization\":\"Bearer t\",\"content-type\":\"text/plain\"}}")
                .composeWebhook(event("e"), META).orElseThrow();
        assertThat(request.method()).isEqualTo("PUT");
        assertThat(request.headers()).containsEntry("Authorization", "Bearer t").containsEntry("content-type", "text/plain")
                .doesNotContainKey("Content-Type");
    }

    @Test
    void invalidConfigsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> webhook("{}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> webhook("{\"url\":\"ftp://x/\"}")).hasMessageContaining("http");
        assertThatThrownBy(() -> webhook("{\"url\":\"/relative\"}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> webhook("{\"url\":\"https://x/\",\"method\":\"DELETE\"}")).hasMessageContaining("method");
        assertThatThrownBy(() -> webhook("{\"url\":\"https://x/\",\"headers\":[1]}")).hasMessageContaining("headers");
        assertThatThrownBy(() -> webhook("{\"url\":\"https://x/\",\"events\":\"paid\"}")).hasMessageContaining("events");
    }
}
