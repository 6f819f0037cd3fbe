package dev.ingest.decide.http;

/** A flags request that gets an error answer, with PostHog's JSON error fields (docs/posthog-compatibility.md#feature-flags). */
public final class DecideException extends RuntimeException {
    private final int status;
    private final String type;
    private final String code;

    public DecideException(int status, String type, String code, String detail) {
        super(detail, null, false, false);
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

    static DecideException malformed(String detail) {
        return new DecideException(400, "validation_error", "malformed_data", "Malformed request data: " + detail);
    }
}
