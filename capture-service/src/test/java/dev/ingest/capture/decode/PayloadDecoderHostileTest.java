package dev.ingest.capture.decode;

import static dev.ingest.capture.decode.TestRequests.capture;
import static dev.ingest.capture.decode.TestRequests.failure;
import static dev.ingest.capture.decode.TestRequests.gzip;
import static dev.ingest.capture.decode.TestRequests.post;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.capture.error.CaptureError;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Found by HostileInputIT: Jackson's byte parser decodes the overlong sequence C0 AF to '/' (and so accepted the
 * event); every body that is not strict UTF-8 is now a 400, compressed or not.
 */
class PayloadDecoderHostileTest {
    /** {"api_key":"phc_t","event":"e<bytes>","distinct_id":"d"} around each invalid sequence. */
    private static byte[] eventWith(String invalidHex) {
        return HexFormat.of().parseHex(HexFormat.of().formatHex("{\"api_key\":\"phc_t\",\"event\":\"e".getBytes())
                + invalidHex + HexFormat.of().formatHex("\",\"distinct_id\":\"d\"}".getBytes()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"c0af", "e080af", "f0808080", "eda080", "ff", "e282"})
    void aBodyThatIsNotStrictUtf8IsInvalid(String invalidHex) {
        assertThat(failure(() -> capture(post("/e/").body(eventWith(invalidHex)).build())).error())
                .isEqualTo(CaptureError.INVALID_PAYLOAD);
        assertThat(failure(() -> capture(post("/e/").body(gzip(eventWith(invalidHex))).build())).error())
                .isEqualTo(CaptureError.INVALID_PAYLOAD);
    }
}
