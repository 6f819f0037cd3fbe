package dev.ingest.common.http;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;

/**
 * The client's IP: the remote address, or the first {@code X-Forwarded-For} entry when the remote address is one
 * of the trusted proxies (the platform's own reverse proxy). Anyone else's header is ignored, so a client cannot
 * choose its own address.
 */
public final class ClientIp {
    /** The platform's proxy runs on the same machine. */
    public static final Set<String> LOOPBACK = Set.of("127.0.0.1", "::1", "0:0:0:0:0:0:0:1");

    private ClientIp() {}

    public static String of(HttpServletRequest request, Set<String> trustedProxies) {
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
