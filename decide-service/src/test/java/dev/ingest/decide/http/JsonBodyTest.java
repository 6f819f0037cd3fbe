package dev.ingest.decide.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonBodyTest {
    @Test
    void writesWhatDatabindWritesForEveryShapeOfAFlagResponse() {
        Map<String, Object> reason = new LinkedHashMap<>();
        reason.put("code", "condition_match");
        reason.put("condition_index", 0);
        reason.put("description", "Matched condition set 1");
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("id", 42L);
        metadata.put("version", null);
        metadata.put("description", null);
        metadata.put("payload", "{\"x\":\"quote \\\" backslash \\\\ tab \t é ✓ \uD83D\uDE00\"}");
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("key", "flag-ü");
        detail.put("enabled", true);
        detail.put("variant", null);
        detail.put("reason", reason);
        detail.put("metadata", metadata);
        Map<String, Object> body = new LinkedHashMap<>(RemoteConfig.base(true, false));
        body.put("errorsWhileComputingFlags", false);
        body.put("flags", Map.of("flag-ü", detail));
        body.put("featureFlags", new ArrayList<>(List.of("a", "b")));
        body.put("mixed", Arrays.asList(1, 2L, 2.5, null, "s", false, Json.read("{\"n\":[1,{\"m\":null}]}")));
        body.put("evaluatedAt", 1_795_312_375_999L);
        body.put("control\u0001chars\n", "\u0000\u001f\u007f");

        assertThat(new String(JsonBody.write(body), StandardCharsets.UTF_8)).isEqualTo(Json.write(body));
    }

    @Test
    void anEmptyBodyIsAnEmptyObject() {
        assertThat(new String(JsonBody.write(Map.of()), StandardCharsets.UTF_8)).isEqualTo("{}");
    }
}
