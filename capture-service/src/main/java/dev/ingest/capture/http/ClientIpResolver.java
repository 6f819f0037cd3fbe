package dev.ingest.capture.http;

import dev.ingest.capture.config.CaptureProperties;
import dev.ingest.common.http.ClientIp;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import org.springframework.stereotype.Component;

/** The client's IP ({@link ClientIp}), with the trusted proxies of capture's configuration. */
@Component
public class ClientIpResolver {
    private final Set<String> trustedProxies;

    public ClientIpResolver(CaptureProperties properties) {
        this.trustedProxies = Set.copyOf(properties.trustedProxies());
    }

    public String resolve(HttpServletRequest request) {
        return ClientIp.of(request, trustedProxies);
    }
}
