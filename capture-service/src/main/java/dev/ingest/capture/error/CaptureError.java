package dev.ingest.capture.error;

/**
 * Every way a capture request can fail, each with exactly one HTTP status and the error type of PostHog's JSON
 * error body ({@code {"type","code","detail","attr"}}, docs/posthog-compatibility.md#capture-errors).
 */
public enum CaptureError {
    NO_DATA(400, "validation_error", "no_data"),
    INVALID_PAYLOAD(400, "validation_error", "invalid_payload"),
    INVALID_COOKIELESS_MODE(400, "validation_error", "invalid_cookieless_mode"),
    MISSING_API_KEY(401, "authentication_error", "missing_api_key"),
    /** A token of the wrong shape; the code is the reason (empty, too_long, not_ascii, personal_api_key ...). */
    INVALID_API_KEY_SHAPE(401, "authentication_error", "invalid_api_key"),
    MULTIPLE_API_KEYS(401, "authentication_error", "multiple_api_keys"),
    UNKNOWN_API_KEY(401, "authentication_error", "invalid_api_key"),
    PAYLOAD_TOO_LARGE(413, "validation_error", "payload_too_large"),
    METHOD_NOT_ALLOWED(405, "validation_error", "method_not_allowed"),
    /** The body did not arrive within the body timeout (a client trickling it). */
    BODY_TIMEOUT(408, "validation_error", "request_timeout"),
    UNAVAILABLE(503, "server_error", "server_error");

    private final int status;
    private final String type;
    private final String code;

    CaptureError(int status, String type, String code) {
        this.status = status;
        this.type = type;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String code() {
        return code;
    }
}
