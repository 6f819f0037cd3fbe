package dev.ingest.decide.http;

import dev.ingest.common.http.ErrorBodies;
import dev.ingest.common.memory.MemoryBudget;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** PostHog's JSON error body for the SDK endpoints; no client input ends in a 500. */
@RestControllerAdvice(basePackageClasses = DecideErrorHandler.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
public class DecideErrorHandler {
    private static final Logger log = LoggerFactory.getLogger(DecideErrorHandler.class);

    @ExceptionHandler(DecideException.class)
    public ResponseEntity<Map<String, Object>> decide(DecideException e) {
        return body(e.status(), e.type(), e.code(), e.getMessage());
    }

    /** PostgreSQL is down and there was no cached answer: SDKs retry on 503 and keep their last flags. */
    @ExceptionHandler(DataAccessException.class)
    public ResponseEntity<Map<String, Object>> database(DataAccessException e) {
        log.warn("PostgreSQL unavailable for a flags request: {}", e.getClass().getSimpleName());
        return body(503, "server_error", "database_unavailable", "Flags are temporarily unavailable. Please retry.");
    }

    /** Decoding a compressed body ran into the in-flight memory budget: at capacity, retry shortly. */
    @ExceptionHandler(MemoryBudget.Exhausted.class)
    public ResponseEntity<Map<String, Object>> overloaded(MemoryBudget.Exhausted e) {
        return ResponseEntity.status(503).header(HttpHeaders.RETRY_AFTER, "2").contentType(MediaType.APPLICATION_JSON)
                .body(ErrorBodies.body("server_error", "overloaded", "The service is at capacity (its in-flight memory"
                        + " budget is in use). Please try again.", null));
    }

    @ExceptionHandler(MemoryBudget.RequestTooCostly.class)
    public ResponseEntity<Map<String, Object>> tooCostly(MemoryBudget.RequestTooCostly e) {
        return body(413, "validation_error", "payload_too_large", "Request exceeds the request memory limit of "
                + e.cap() + " bytes once decoded and parsed");
    }

    static ResponseEntity<Map<String, Object>> body(int status, String type, String code, String detail) {
        return ErrorBodies.response(status, type, code, detail);
    }
}
