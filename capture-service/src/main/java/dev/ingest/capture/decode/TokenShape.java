package dev.ingest.capture.decode;

import dev.ingest.capture.error.CaptureError;
import dev.ingest.capture.error.CaptureException;
import java.nio.charset.StandardCharsets;

/**
 * The shape checks capture applies to a project token before anything else (capture-rs
 * {@code rust/capture/src/token.rs}; docs/posthog-compatibility.md#capture-events-tokens-and-distinct-ids).
 */
public final class TokenShape {
    public static final int MAX_LENGTH = 64;

    private TokenShape() {}

    /** Returns the token, trimmed, or throws the 401 that names what is wrong with it. */
    public static String validate(String token) {
        String trimmed = token.strip();
        String reason = null;
        if (trimmed.isEmpty()) {
            reason = "empty";
        } else if (trimmed.getBytes(StandardCharsets.UTF_8).length > MAX_LENGTH) {
            // capture-rs token.rs order and measure: UTF-8 byte length, ascii, phx_, then the null byte.
            reason = "too_long";
        } else if (!trimmed.chars().allMatch(c -> c < 128)) {
            reason = "not_ascii";
        } else if (trimmed.startsWith("phx_")) {
            reason = "personal_api_key";
        } else if (trimmed.indexOf('\0') >= 0) {
            reason = "null_byte";
        }
        if (reason != null) {
            throw invalid(reason);
        }
        return trimmed;
    }

    public static CaptureException invalid(String reason) {
        return new CaptureException(CaptureError.INVALID_API_KEY_SHAPE, reason, "Provided API key is not valid: " + reason, null);
    }
}
