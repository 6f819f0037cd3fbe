package dev.ingest.plugin.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingest.common.json.Json;
import dev.ingest.plugin.apps.AppContext;
import dev.ingest.plugin.apps.WebhookRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class CustomerIoDestinationTest {
    private static final AppContext META = new AppContext(1, "customerio", 9, "u-1", "user 1");
    private static final CustomerIoDestination BY_ID = CustomerIoDestination.fromConfig(
            Json.read("{\"siteId\":\"site\",\"apiKey\":\"key\"}"));

    private static ObjectNode event(String name, String properties, String personProperties) {
        return (ObjectNode) Json.read("""
                {"uuid":"u-1","event":"%s","distinct_id":"user 1","team_id":1,"timestamp":"2026-11-30T20:00:00Z",
                 "properties":%s,"person":{"uuid":"p","properties":%s,"created_at":"2026-11-01T00:00:00Z"}}
                """.formatted(name, properties, personProperties));
    }

    @Test
    void eventsGoToTheCustomersEventsWithBasicAuth() {
        WebhookRequest request = BY_ID.composeWebhook(event("purchase", "{\"amount\":5}", "{}"), META).orElseThrow();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.url().toString()).isEqualTo("https://track.customer.io/api/v1/customers/user%201/events");
        assertThat(request.headers()).containsEntry("Authorization",
                "Basic " + Base64.getEncoder().encodeToString("site:key".getBytes(StandardCharsets.UTF_8)));
        JsonNode body = Json.read(request.body());
        assertThat(body.path("name").asString()).isEqualTo("purchase");
        assertThat(body.path("data").path("amount").asInt()).isEqualTo(5);
        assertThat(body.path("timestamp").asLong()).isEqualTo(1796068800L);
    }

    @Test
    void pageviewsArePageEventsNamedByTheirUrl() {
        JsonNode body = Json.read(BY_ID.composeWebhook(event("$pageview",
                "{\"$current_url\":\"https://shop.example/cart\"}", "{}"), META).orElseThrow().body());
        assertThat(body.path("type").asString()).isEqualTo("page");
        assertThat(body.path("name").asString()).isEqualTo("https://shop.example/cart");
    }

    @Test
    void identifyUpdatesTheCustomerWithPersonPropertiesAndTheEventsSet() {
        WebhookRequest request = BY_ID.composeWebhook(event("$identify", "{\"$set\":{\"plan\":\"pro\"}}",
                "{\"email\":\"a@example.com\",\"plan\":\"free\"}"), META).orElseThrow();
        assertThat(request.method()).isEqualTo("PUT");
        assertThat(request.url().getRawPath()).isEqualTo("/api/v1/customers/user%201");
        JsonNode body = Json.read(request.body());
        assertThat(body.path("email").asString()).isEqualTo("a@example.com");
        assertThat(body.path("plan").asString()).isEqualTo("pro");
    }

    @Test
    void byEmailWithoutAnEmailEventsAreAnonymousAndIdentifyIsSkipped() {
        CustomerIoDestination byEmail = CustomerIoDestination.fromConfig(Json.read(
                "{\"siteId\":\"s\",\"apiKey\":\"k\",\"identifyBy\":\"email\",\"host\":\"https://track-eu.customer.io/\"}"));
        WebhookRequest anonymous = byEmail.composeWebhook(event("clicked", "{}", "{}"), META).orElseThrow();
        assertThat(anonymous.url().toString()).isEqualTo("https://track-eu.customer.io/api/v1/events");
        assertThat(Json.read(anonymous.body()).path("anonymous_id").asString()).isEqualTo("user 1");
        assertThat(byEmail.composeWebhook(event("$identify", "{}", "{}"), META)).isEmpty();
        WebhookRequest known = byEmail.composeWebhook(event("clicked", "{}", "{\"email\":\"b@example.com\"}"), META)
                .orElseThrow();
        assertThat(known.url().getRawPath()).isEqualTo("/api/v1/customers/b%40example.com/events");
    }

    @Test
    void configNeedsItsCredentials() {
        assertThatThrownBy(() -> CustomerIoDestination.fromConfig(Json.read("{\"siteId\":\"s\"}")))
                .hasMessageContaining("apiKey");
        assertThatThrownBy(() -> CustomerIoDestination.fromConfig(Json.read(
                "{\"siteId\":\"s\",\"apiKey\":\"k\",\"identifyBy\":\"phone\"}"))).hasMessageContaining("identifyBy");
    }
}
