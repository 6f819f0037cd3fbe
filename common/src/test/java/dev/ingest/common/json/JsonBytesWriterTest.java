package dev.ingest.common.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonBytesWriterTest {
    private static String generated(String json) {
        return new String(new JsonBytesWriter(16).generatedJsonAsString("p", json.getBytes(StandardCharsets.UTF_8)).finish(),
                StandardCharsets.UTF_8);
    }

    private static String asSent(String json) {
        return new String(new JsonBytesWriter(16).jsonAsString("p", json.getBytes(StandardCharsets.UTF_8)).finish(),
                StandardCharsets.UTF_8);
    }

    @Test
    void aLoneSurrogateEscapeOfAGeneratedDocumentBecomesTheReplacementCharacter() {
        assertThat(Json.read(generated("{\"a\":\"x\\uD800y\"}")).get("p").asString()).isEqualTo("{\"a\":\"x\uFFFDy\"}");
        assertThat(Json.read(generated("{\"a\":\"\\udc00\"}")).get("p").asString()).isEqualTo("{\"a\":\"\uFFFD\"}");
    }

    @Test
    void anEscapedPairAndAnEscapedBackslashBeforeUAreKept() {
        assertThat(Json.read(generated("{\"a\":\"\\uD83D\\uDE00\"}")).get("p").asString()).isEqualTo("{\"a\":\"\\uD83D\\uDE00\"}");
        // The text \uD800 (a backslash, then uD800) is not an escape: Jackson writes its backslash as \\.
        assertThat(Json.read(generated("{\"a\":\"\\\\uD800\"}")).get("p").asString()).isEqualTo("{\"a\":\"\\\\uD800\"}");
        assertThat(Json.read(generated("{\"a\":\"q\\\"\\\\\\n\"}")).get("p").asString()).isEqualTo("{\"a\":\"q\\\"\\\\\\n\"}");
    }

    @Test
    void aDocumentAsSentKeepsEveryEscape() {
        assertThat(Json.read(asSent("{\"a\":\"\\ud83d x \\uD800\"}")).get("p").asString()).isEqualTo("{\"a\":\"\\ud83d x \\uD800\"}");
    }

    @Test
    void fieldsAreCommaSeparatedAndNullsLeftOut() {
        String object = new String(new JsonBytesWriter(1).string("a", null).string("b", "x\"").number("c", -5)
                .bool("d", null).bool("e", true).finish(), StandardCharsets.UTF_8);
        assertThat(object).isEqualTo("{\"b\":\"x\\\"\",\"c\":-5,\"e\":true}");
    }
}
