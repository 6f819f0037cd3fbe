package dev.ingest.common.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class JsonbSafeTest {
    @Test
    void replacesNulInKeysAndValuesAtAnyDepthAndLeavesTheInputAlone() {
        JsonNode input = Json.read("{\"a\\u0000\":\"x\\u0000y\",\"list\":[\"\\u0000\",{\"k\":\"\\u0000\"}],\"n\":1}");
        String written = JsonbSafe.write(input);
        assertThat(written).doesNotContain("\\u0000");
        assertThat(Json.read(written).get("a\uFFFD").asString()).isEqualTo("x\uFFFDy");
        assertThat(Json.read(written).at("/list/1/k").asString()).isEqualTo("\uFFFD");
        assertThat(input.get("a\u0000").asString()).as("input unchanged").isEqualTo("x\u0000y");
    }

    @Test
    void writesCleanJsonUnchanged() {
        JsonNode input = Json.read("{\"a\":\"\\\\u0000 is text here\",\"b\":[1,2]}");
        assertThat(JsonbSafe.write(input)).isEqualTo(Json.write(input));
    }
}
