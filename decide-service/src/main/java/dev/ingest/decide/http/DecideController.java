package dev.ingest.decide.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /decide}: the minimal configuration PostHog answers to a bare GET (POSTHOG_SPEC §4.1). Flag evaluation
 * on POST /decide and /flags comes with the feature-flag work.
 */
@RestController
public class DecideController {
    @GetMapping(path = {"/decide", "/decide/"}, produces = "application/json")
    public Map<String, Object> minimalConfig() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("config", Map.of("enable_collect_everything", true));
        body.put("toolbarParams", Map.of());
        body.put("isAuthenticated", false);
        body.put("supportedCompression", List.of("gzip", "gzip-js"));
        body.put("featureFlags", List.of());
        body.put("sessionRecording", false);
        return body;
    }
}
