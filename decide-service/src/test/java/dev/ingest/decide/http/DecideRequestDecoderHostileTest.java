package dev.ingest.decide.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingest.common.json.Json;
import dev.ingest.decide.evaluation.DecideRequest;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Inputs HostileInputIT found: each was a 500 or was accepted when it must not be. */
class DecideRequestDecoderHostileTest {
    private final DecideRequestDecoder decoder = new DecideRequestDecoder(1 << 20);

    @Test
    void nonStringFlagKeysToEvaluateNameNoFlag() {
        ObjectNode body = (ObjectNode) Json.read("{\"distinct_id\":\"d\",\"flag_keys_to_evaluate\":[{},[],1,null,\"a\"]}");

        DecideRequest request = DecideRequestDecoder.request(body, "phc_token");

        assertThat(request.flagKeys()).containsExactly("a");
    }

    @Test
    void anOverlongUtf8SequenceIsMalformedData() {
        byte[] body = HexFormat.of().parseHex("7b2264697374696e63745f6964223a22c0af227d"); // {"distinct_id":"<C0 AF>"}

        assertThatThrownBy(() -> decoder.decode(body, "application/json", Map.of()))
                .isInstanceOf(DecideException.class).hasMessageContaining("not UTF-8");
        assertThat(decoder.decode("{\"distinct_id\":\"é\"}".getBytes(StandardCharsets.UTF_8), "application/json", Map.of())
                .get("distinct_id").asString()).isEqualTo("é");
    }
}
