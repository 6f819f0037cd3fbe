package dev.ingest.decide.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import tools.jackson.databind.JsonNode;

/** An answer of the management API as the ITs read it, with assertions on its error shape. */
public record ApiResponse(int status, String body) {
    public JsonNode json() {
        return Json.read(body);
    }

    /** A 400 {@code validation_error} / {@code invalid_input} naming {@code attr}, with a detail. */
    public static void assertValidationError(ApiResponse response, String attr) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        JsonNode error = response.json();
        assertThat(error.get("type").asString()).isEqualTo("validation_error");
        assertThat(error.get("code").asString()).isEqualTo("invalid_input");
        assertThat(error.get("attr").asString()).as(response.body()).isEqualTo(attr);
        assertThat(error.get("detail").asString()).isNotBlank();
    }
}
