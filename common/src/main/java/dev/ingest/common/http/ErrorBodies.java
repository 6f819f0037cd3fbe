package dev.ingest.common.http;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** PostHog's JSON error body, {@code {"type","code","detail","attr"}}, as every service answers errors. */
public final class ErrorBodies {
    private ErrorBodies() {}

    public static Map<String, Object> body(String type, String code, String detail, String attr) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("code", code);
        body.put("detail", detail);
        body.put("attr", attr);
        return body;
    }

    public static ResponseEntity<Map<String, Object>> response(int status, String type, String code, String detail) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body(type, code, detail, null));
    }
}
