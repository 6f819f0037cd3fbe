package dev.ingest.common.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CapturedEventWriterTest {
    private static CapturedEvent envelope(String data, boolean optionalFields) {
        return optionalFields
                ? new CapturedEvent("0190f4b6-0000-7000-8000-000000000001", "d \"quoted\" \u00e9\u2615", "10.0.0.1", data,
                        "2026-01-01T00:00:00Z", "2026-01-01T00:00:01Z", "phc_t", 42L, "$pageview", true, true)
                : new CapturedEvent("0190f4b6-0000-7000-8000-000000000001", "d", "10.0.0.1", data,
                        "2026-01-01T00:00:00Z", null, "phc_t", null, "e", null, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"event\":\"e\"}",
        "{ \"event\" : \"e\",\n\t\"properties\" : {\"q\":\"say \\\"hi\\\"\", \"path\":\"C:\\\\x\"}\r\n}",
        "{\"event\":\"caf\u00e9 \u2615 \ud83d\ude00\",\"properties\":{\"ctl\":\"\\u0001\\b\\f\",\"slash\":\"a/b\"}}",
        "{\"event\":\"e\",\"properties\":{\"n\":1.5e10,\"big\":123456789012345678901234567890,\"list\":[null,true]}}",
    })
    void writesWhatJacksonWritesForTheSameMessage(String data) {
        for (boolean optionalFields : new boolean[] {false, true}) {
            byte[] written = CapturedEventWriter.write(envelope(null, optionalFields), data.getBytes(StandardCharsets.UTF_8));

            assertThat(Json.read(written, CapturedEvent.class)).isEqualTo(envelope(data, optionalFields));
            assertThat(Json.read(new String(written, StandardCharsets.UTF_8)))
                    .isEqualTo(Json.read(new String(Json.writeBytes(envelope(data, optionalFields)), StandardCharsets.UTF_8)));
        }
    }
}
