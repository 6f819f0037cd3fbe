package dev.ingest.capture.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ingest.capture.decode.CaptureRequest;
import dev.ingest.capture.decode.EventExtractor;
import dev.ingest.capture.decode.Limits;
import dev.ingest.capture.decode.PayloadDecoder;
import dev.ingest.capture.error.CaptureException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Whatever the network sends, decoding and extraction either succeed or throw CaptureException (a 4xx); any other
 * exception would be a 500. Runs its seeds in every build; fuzz for real with
 * {@code JAZZER_FUZZ=1 ./mvnw -pl capture-service test -Dtest=CaptureDecodingFuzzTest}.
 */
class CaptureDecodingFuzzTest {
    private static final PayloadDecoder DECODER = new PayloadDecoder(new Limits(1 << 20));
    private static final EventExtractor EXTRACTOR = new EventExtractor(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    private static final String[] CONTENT_TYPES = {"application/json", "text/plain", "application/x-www-form-urlencoded", ""};
    private static final String[] COMPRESSIONS = {"", "gzip", "gzip-js", "lz64", "lz-string", "base64", "b64", "br"};
    private static final String[] PATHS = {"/e/", "/batch/", "/engage/", "/capture"};

    @FuzzTest(maxDuration = "10s")
    void decodingNeverFailsWithAnythingButACaptureError(FuzzedDataProvider data) {
        String contentType = data.pickValue(CONTENT_TYPES);
        String compression = data.pickValue(COMPRESSIONS);
        String path = data.pickValue(PATHS);
        String method = data.consumeBoolean() ? "POST" : "GET";
        String queryData = data.consumeString(200);
        byte[] body = data.consumeRemainingAsBytes();
        CaptureRequest request = new CaptureRequest(method, path,
                Map.of("compression", compression, "data", queryData, "_", "1704067200000"), contentType,
                data.consumeBoolean() ? "gzip" : null, body);
        try {
            EXTRACTOR.extract(DECODER.decode(request), request);
        } catch (CaptureException expected) {
            // a clear 4xx
        }
    }
}
