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

    @Test
    void replacesUnpairedSurrogatesAndKeepsPairs() {
        JsonNode input = Json.read("{\"lone\":\"a\\ud800b\",\"low\":\"\\udc00\",\"\\ud83d\":1,\"pair\":\"\\ud83d\\ude00\"}");
        JsonNode clean = JsonbSafe.clean(input);
        assertThat(clean.get("lone").asString()).isEqualTo("a\uFFFDb");
        assertThat(clean.get("low").asString()).isEqualTo("\uFFFD");
        assertThat(clean.has("\uFFFD")).isTrue();
        assertThat(clean.get("pair").asString()).isEqualTo("\ud83d\ude00");
    }

    @Test
    void cleanReturnsTheSameNodeWhenNothingNeedsReplacing() {
        JsonNode input = Json.read("{\"a\":\"\\ud83d\\ude00\",\"b\":[1,\"x\"]}");
        assertThat(JsonbSafe.clean(input)).isSameAs(input);
    }
}
