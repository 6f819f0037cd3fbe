package dev.ingest.decide.api;

/**
 * A request the management API refuses, with PostHog's error body {@code {"type","code","detail","attr"}}.
 *
 * @param attr the request field at fault (validation errors), or null
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final String type;
    private final String code;
    private final String attr;

    public ApiException(int status, String type, String code, String detail, String attr) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.code = code;
        this.attr = attr;
    }

    /** 400: a field is missing or invalid. */
    public static ApiException invalid(String attr, String detail) {
        return new ApiException(400, "validation_error", "invalid_input", detail, attr);
    }

    /** 400: the body is not JSON. */
    public static ApiException parseError(String detail) {
        return new ApiException(400, "validation_error", "parse_error", detail, null);
    }

    /** 403: the key may not do this. */
    public static ApiException permissionDenied(String detail) {
        return new ApiException(403, "authentication_error", "permission_denied", detail, null);
    }

    /** 404: no such project, flag, cohort or key (or not this project's). */
    public static ApiException notFound() {
        return new ApiException(404, "invalid_request", "not_found", "Not found.", null);
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

    public String detail() {
        return getMessage();
    }

    public String attr() {
        return attr;
    }
}
