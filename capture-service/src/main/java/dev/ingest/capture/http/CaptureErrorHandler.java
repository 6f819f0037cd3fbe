package dev.ingest.capture.http;

import dev.ingest.capture.config.CaptureProperties;
import dev.ingest.capture.error.CaptureError;
import dev.ingest.capture.error.CaptureException;
import dev.ingest.common.http.ErrorBodies;
import dev.ingest.common.memory.MemoryBudget;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Maps every failure to exactly one status and PostHog's JSON error body. Client input never produces a 500: an
 * unexpected exception is logged and answered 503, which SDKs retry, because only our side can be at fault.
 */
@RestControllerAdvice
public class CaptureErrorHandler {
    private static final Logger log = LoggerFactory.getLogger(CaptureErrorHandler.class);

    private final MeterRegistry metrics;
    private final String retryAfterSeconds;

    public CaptureErrorHandler(MeterRegistry metrics, CaptureProperties properties) {
        this.metrics = metrics;
        this.retryAfterSeconds = Long.toString(Math.max(1, properties.memory().retryAfter().toSeconds()));
    }

    @ExceptionHandler(CaptureException.class)
    public ResponseEntity<Map<String, Object>> capture(CaptureException e) {
        CaptureError error = e.error();
        metrics.counter("ingest_capture_requests_rejected_total", "cause", e.code()).increment();
        ResponseEntity<Map<String, Object>> response = body(error.status(), error.type(), e.code(), e.detail());
        return error.status() == 503
                ? ResponseEntity.status(503).headers(response.getHeaders())
                        .header(HttpHeaders.RETRY_AFTER, retryAfterSeconds).body(response.getBody())
                : response;
    }

    /** Load beyond capacity: the SDKs retry a 503, and Retry-After tells them when. */
    @ExceptionHandler(MemoryBudget.Exhausted.class)
    public ResponseEntity<Map<String, Object>> overloaded(MemoryBudget.Exhausted e) {
        metrics.counter("ingest_capture_requests_rejected_total", "cause", "memory_budget").increment();
        return ResponseEntity.status(503).header(HttpHeaders.RETRY_AFTER, retryAfterSeconds)
                .contentType(MediaType.APPLICATION_JSON)
                .body(ErrorBodies.body("server_error", "overloaded", "Capture is at capacity (its in-flight memory"
                        + " budget is in use). Please try again.", null));
    }

    /** One request that would hold more than a request may, once parsed: it can never fit as it is. */
    @ExceptionHandler(MemoryBudget.RequestTooCostly.class)
    public ResponseEntity<Map<String, Object>> tooCostly(MemoryBudget.RequestTooCostly e) {
        metrics.counter("ingest_capture_requests_rejected_total", "cause", "request_memory").increment();
        return body(413, "validation_error", "payload_too_large", "Request exceeds the request memory limit of "
                + e.cap() + " bytes once decoded and parsed; send fewer or smaller events per request");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    public ResponseEntity<Map<String, Object>> method(HttpRequestMethodNotSupportedException e) {
        return body(405, "validation_error", "method_not_allowed", "Method " + e.getMethod() + " is not allowed here");
    }

    @ExceptionHandler(NoResourceFoundException.class)
    public ResponseEntity<Map<String, Object>> notFound(NoResourceFoundException e) {
        return body(404, "validation_error", "not_found", "No such endpoint: /" + e.getResourcePath());
    }

    @ExceptionHandler(HttpMediaTypeNotAcceptableException.class)
    public ResponseEntity<Map<String, Object>> notAcceptable(HttpMediaTypeNotAcceptableException e) {
        return body(406, "validation_error", "not_acceptable", "Responses are JSON");
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<Map<String, Object>> unexpected(Exception e) {
        log.error("unexpected capture failure", e);
        metrics.counter("ingest_capture_requests_rejected_total", "cause", "unexpected").increment();
        return body(HttpStatus.SERVICE_UNAVAILABLE.value(), "server_error", "server_error",
                "Unable to store event. Please try again.");
    }

    static ResponseEntity<Map<String, Object>> body(int status, String type, String code, String detail) {
        return ErrorBodies.response(status, type, code, detail);
    }
}
