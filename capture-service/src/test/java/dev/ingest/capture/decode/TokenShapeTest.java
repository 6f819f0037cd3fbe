package dev.ingest.capture.decode;

import static dev.ingest.capture.decode.TestRequests.failure;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.capture.error.CaptureError;
import dev.ingest.capture.error.CaptureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The token shape checks and their reasons (docs/posthog-compatibility.md#capture-events-tokens-and-distinct-ids), with
 * vectors from capture-rs's tests in {@code rust/capture/src/token.rs} and {@code rust/capture/src/v0_request.rs}
 * ({@code extract_and_verify_token}).
 */
class TokenShapeTest {
    private static CaptureException rejected(String token) {
        CaptureException error = failure(() -> TokenShape.validate(token));
        assertThat(error.error()).isEqualTo(CaptureError.INVALID_API_KEY_SHAPE);
        assertThat(error.error().status()).isEqualTo(401);
        assertThat(error.detail()).isEqualTo("Provided API key is not valid: " + error.code());
        return error;
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n\t "})
    void rejectsEmptyToken(String token) {
        assertThat(rejected(token).code()).isEqualTo("empty");
    }

    @Test
    void rejectsTokenOf65Characters() {
        assertThat(rejected("x".repeat(65)).code()).isEqualTo("too_long");
    }

    @Test
    void acceptsTokenOf64Characters() {
        assertThat(TokenShape.validate("x".repeat(64))).isEqualTo("x".repeat(64));
    }

    @Test
    void rejectsNonAsciiToken() {
        assertThat(rejected("\uD83E\uDD80").code()).isEqualTo("not_ascii");
    }

    @Test
    void measuresLengthInUtf8BytesAsCaptureRsDoes() {
        // 20 crabs are 40 UTF-16 units but 80 bytes: capture-rs checks the byte length before the charset.
        assertThat(rejected("\uD83E\uDD80".repeat(20)).code()).isEqualTo("too_long");
    }

    @Test
    void rejectsNullByte() {
        assertThat(rejected("hello\0there").code()).isEqualTo("null_byte");
    }

    @Test
    void rejectsPersonalApiKey() {
        assertThat(rejected("phx_hellothere").code()).isEqualTo("personal_api_key");
    }

    @Test
    void checksPersonalApiKeyBeforeNullByteAsCaptureRsDoes() {
        assertThat(rejected("phx_hello\0there").code()).isEqualTo("personal_api_key");
    }

    @CsvSource(delimiterString = "|", value = {"phc_hellothere|phc_hellothere", "'  phc_a  '|phc_a", "phc_ok|phc_ok"})
    @ParameterizedTest
    void returnsTrimmedToken(String token, String expected) {
        assertThat(TokenShape.validate(token)).isEqualTo(expected);
    }

    @Test
    void trimsTrailingNewline() {
        assertThat(TokenShape.validate("phc_hellothere\n")).isEqualTo("phc_hellothere");
    }

    @Test
    void trimsBeforeMeasuringLength() {
        assertThat(TokenShape.validate(" " + "x".repeat(64) + "\r\n")).isEqualTo("x".repeat(64));
    }

    @Test
    void acceptsPhcPrefixedAndLegacyTokens() {
        assertThat(TokenShape.validate("phc_abcDEF123")).isEqualTo("phc_abcDEF123");
        assertThat(TokenShape.validate("KZZZeIpycLH-tKobLBET2NOg7wgJF2KqDL5yWU_7tZw"))
                .isEqualTo("KZZZeIpycLH-tKobLBET2NOg7wgJF2KqDL5yWU_7tZw");
    }
}
