package dev.ingest.capture.http;

import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** PostHog capture's own probes: {@code /} and {@code /_readiness} answer {@code capture}, {@code /_liveness} ok. */
@RestController
public class HealthController {
    private final HealthEndpoint health;

    public HealthController(HealthEndpoint health) {
        this.health = health;
    }

    @GetMapping(path = {"/", "/_readiness"}, produces = "text/plain")
    public ResponseEntity<String> readiness() {
        var status = health.healthForPath("readiness");
        boolean up = status == null || Status.UP.equals(status.getStatus());
        return ResponseEntity.status(up ? 200 : 503).body(up ? "capture" : "not ready");
    }

    @GetMapping(path = "/_liveness", produces = "text/plain")
    public String liveness() {
        return "ok";
    }
}
