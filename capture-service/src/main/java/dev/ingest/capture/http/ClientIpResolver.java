package dev.ingest.capture.http;

import dev.ingest.capture.config.CaptureProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * The client's IP: the remote address, or the first {@code X-Forwarded-For} entry when the remote address is one
 * of the configured trusted proxies (the platform's own reverse proxy). Anyone else's header is ignored, so a client
 * cannot choose its own {@code $ip}.
 */
@Component
public class ClientIpResolver {
    private final Set<String> trustedProxies;

    public ClientIpResolver(CaptureProperties properties) {
        this.trustedProxies = Set.copyOf(properties.trustedProxies());
    }

    public String resolve(HttpServletRequest request) {
        String remote = request.getRemoteAddr();
        if (remote != null && trustedProxies.contains(remote)) {
            String forwarded = request.getHeader("X-Forwarded-For");
            if (forwarded != null && !forwarded.isBlank()) {
                String first = forwarded.split(",")[0].trim();
                if (!first.isEmpty() && first.length() <= 45) {
                    return first;
                }
            }
        }
        return remote;
    }
}
