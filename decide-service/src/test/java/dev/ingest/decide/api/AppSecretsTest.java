package dev.ingest.decide.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingest.common.json.Json;
import dev.ingest.decide.store.AppConfigRow;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class AppSecretsTest {

    @Test
    void aMaskShowsOnlyTheLastFourCharacters() {
        assertThat(AppSecrets.mask("0123456789abcdefWXYZ")).isEqualTo("********WXYZ");
        assertThat(AppSecrets.mask("abcdefghijkl")).isEqualTo("********ijkl");
    }

    @Test
    void aShortKeyIsMaskedEntirely() {
        assertThat(AppSecrets.mask("abcdefghijk")).isEqualTo("********");
        assertThat(AppSecrets.mask("")).isEqualTo("********");
    }

    @Test
    void aCustomerIoResponseMasksTheApiKeyAndLeavesTheStoredConfigAlone() {
        JsonNode stored = Json.read("{\"siteId\":\"site-1\",\"apiKey\":\"0123456789abcdefWXYZ\",\"host\":\"https://h\"}");

        AppResponse response = AppResponse.of(row("customerio", stored));

        assertThat(response.config())
                .isEqualTo(Json.read("{\"siteId\":\"site-1\",\"apiKey\":\"********WXYZ\",\"host\":\"https://h\"}"));
        assertThat(stored.get("apiKey").asString()).isEqualTo("0123456789abcdefWXYZ");
        assertThat(Json.write(response)).doesNotContain("0123456789abcdef");
    }

    @Test
    void otherAppsAreShownAsStored() {
        JsonNode config = Json.read("{\"url\":\"https://example.com\",\"apiKey\":\"not-a-customerio-secret\"}");

        assertThat(AppResponse.of(row("webhook", config)).config()).isEqualTo(config);
    }

    @Test
    void aStoredConfigWithoutAStringKeyIsShownAsIs() {
        JsonNode config = Json.read("{\"siteId\":\"s\",\"apiKey\":null}");

        assertThat(AppSecrets.masked("customerio", config)).isEqualTo(config);
    }

    @Test
    void withStoredSecretsDoesNotChangeItsInput() {
        JsonNode stored = Json.read("{\"siteId\":\"s\",\"apiKey\":\"0123456789abcdefWXYZ\"}");
        ObjectNode incoming = (ObjectNode) Json.read("{\"siteId\":\"t\"}");

        ObjectNode merged = AppSecrets.withStoredSecrets("customerio", stored, incoming);

        assertThat(merged.get("apiKey").asString()).isEqualTo("0123456789abcdefWXYZ");
        assertThat(incoming.has("apiKey")).isFalse();
    }

    @Test
    void aPatchThatMovesTheKeyElsewhereMustSendTheKey() {
        JsonNode stored = Json.read("{\"siteId\":\"s\",\"apiKey\":\"0123456789abcdefWXYZ\",\"host\":\"https://h\"}");

        assertThatThrownBy(() -> AppSecrets.withStoredSecrets("customerio", stored,
                (ObjectNode) Json.read("{\"siteId\":\"s\",\"host\":\"https://elsewhere\"}")))
                .isInstanceOf(ApiException.class).hasMessageContaining("config.host");
        assertThatThrownBy(() -> AppSecrets.withStoredSecrets("customerio", stored,
                (ObjectNode) Json.read("{\"siteId\":\"s\",\"apiKey\":\"********WXYZ\"}")))
                .isInstanceOf(ApiException.class);
        ObjectNode resent = (ObjectNode) Json.read("{\"siteId\":\"s\",\"apiKey\":\"new-key-0123456789\",\"host\":\"https://elsewhere\"}");
        assertThat(AppSecrets.withStoredSecrets("customerio", stored, resent)).isSameAs(resent);
    }

    private static AppConfigRow row(String app, JsonNode config) {
        Instant now = Instant.parse("2026-01-02T03:04:05Z");
        return new AppConfigRow(7, 1, app, config, 0, true, null, now, now);
    }
}
