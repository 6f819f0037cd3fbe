package dev.ingest.decide.api;

import dev.ingest.decide.auth.NotAuthenticatedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The management API's errors as PostHog's JSON bodies; applies to this package's controllers only (decide's own
 * endpoints answer in their own format). Client input never produces a 500.
 */
@RestControllerAdvice(basePackageClasses = ApiErrorHandler.class)
public class ApiErrorHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiErrorHandler.class);

    @ExceptionHandler(ApiException.class)
    public ResponseEntity<ApiError> api(ApiException e) {
        return body(e.status(), new ApiError(e.type(), e.code(), e.detail(), e.attr()));
    }

    @ExceptionHandler(NotAuthenticatedException.class)
    public ResponseEntity<ApiError> notAuthenticated(NotAuthenticatedException e) {
        return ResponseEntity.status(401).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .contentType(MediaType.APPLICATION_JSON)
                .body(new ApiError("authentication_error", "not_authenticated", e.getMessage(), null));
    }

    /** A path id that is not a number names nothing. */
    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    public ResponseEntity<ApiError> typeMismatch(MethodArgumentTypeMismatchException e) {
        return api(ApiException.notFound());
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    public ResponseEntity<ApiError> missingParameter(MissingServletRequestParameterException e) {
        return api(ApiException.invalid(e.getParameterName(), "This parameter is required."));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    public ResponseEntity<ApiError> mediaType(HttpMediaTypeNotSupportedException e) {
        return body(415, new ApiError("invalid_request", "unsupported_media_type",
                "Unsupported media type in request. Send JSON with Content-Type: application/json.", null));
    }

    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class})
    public ResponseEntity<ApiError> databaseUnavailable(RuntimeException e) {
        log.warn("management API: database unavailable: {}", e.toString());
        return body(503, new ApiError("server_error", "server_error", "The service is unavailable, try again.", null));
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<ApiError> unexpected(Exception e) {
        log.error("management API: unexpected failure", e);
        return body(500, new ApiError("server_error", "server_error", "A server error occurred.", null));
    }

    private static ResponseEntity<ApiError> body(int status, ApiError error) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(error);
    }
}
