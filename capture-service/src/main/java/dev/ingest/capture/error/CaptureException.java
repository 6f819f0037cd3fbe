package dev.ingest.capture.error;

import java.util.Objects;

/** A capture failure that becomes an HTTP error response; thrown by decoders and validators. */
public final class CaptureException extends RuntimeException {
    private final CaptureError error;
    private final String code;

    public CaptureException(CaptureError error, String detail) {
        this(error, error.code(), detail, null);
    }

    public CaptureException(CaptureError error, String code, String detail, Throwable cause) {
        super(detail, cause, false, false);
        this.error = Objects.requireNonNull(error, "error is null");
        this.code = Objects.requireNonNull(code, "code is null");
    }

    public CaptureError error() {
        return error;
    }

    /** The machine-readable code of the body; the error's own unless a reason refines it. */
    public String code() {
        return code;
    }

    public String detail() {
        return getMessage();
    }

    public static CaptureException invalidPayload(String detail) {
        return new CaptureException(CaptureError.INVALID_PAYLOAD, "Invalid payload: " + detail);
    }

    public static CaptureException malformed(String detail, Throwable cause) {
        return new CaptureException(CaptureError.INVALID_PAYLOAD, CaptureError.INVALID_PAYLOAD.code(),
                "Malformed request data: " + detail, cause);
    }
}
