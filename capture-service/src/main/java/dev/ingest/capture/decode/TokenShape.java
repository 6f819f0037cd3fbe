package dev.ingest.capture.decode;

import dev.ingest.capture.error.CaptureError;
import dev.ingest.capture.error.CaptureException;

/** The shape checks capture applies to a project token before anything else (POSTHOG_SPEC §1.4). */
public final class TokenShape {
    public static final int MAX_LENGTH = 64;

    private TokenShape() {}

    /** Returns the token, trimmed, or throws the 401 that names what is wrong with it. */
    public static String validate(String token) {
        String trimmed = token.strip();
        String reason = null;
        if (trimmed.isEmpty()) {
            reason = "empty";
        } else if (trimmed.length() > MAX_LENGTH) {
            reason = "too_long";
        } else if (trimmed.indexOf('\0') >= 0) {
            reason = "null_byte";
        } else if (!trimmed.chars().allMatch(c -> c < 128)) {
            reason = "not_ascii";
        } else if (trimmed.startsWith("phx_")) {
            reason = "personal_api_key";
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
