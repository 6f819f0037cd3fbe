package dev.ingest.common.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * PostHog's permissive CORS (docs/posthog-compatibility.md#capture-routes-and-cors): the Origin is mirrored with
 * credentials allowed, the requested headers are allowed, and OPTIONS is answered 200 with the success body, before any
 * other processing. Capture and decide register it first in their filter chains.
 */
public class PostHogCorsFilter extends OncePerRequestFilter {
    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String origin = request.getHeader("Origin");
        if (origin != null && !origin.isBlank()) {
            response.setHeader("Access-Control-Allow-Origin", allowedOrigin(origin));
            response.setHeader("Access-Control-Allow-Credentials", "true");
            response.setHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
            String requested = request.getHeader("Access-Control-Request-Headers");
            response.setHeader("Access-Control-Allow-Headers",
                    requested == null || requested.isBlank() ? "X-Requested-With,Content-Type" : requested);
            response.setHeader("Access-Control-Max-Age", "86400");
            response.addHeader("Vary", "Origin");
        }
        if ("OPTIONS".equals(request.getMethod())) {
            response.setStatus(200);
            response.setContentType("application/json");
            response.getWriter().write("{\"status\":1}");
            return;
        }
        chain.doFilter(request, response);
    }

    /** {@code scheme://netloc} of the Origin (Django {@code cors_response}), or {@code *} when it has no netloc. */
    public static String allowedOrigin(String origin) {
        try {
            URI uri = URI.create(origin.trim());
            // The raw authority is Django's netloc; getHost() is null for hosts java.net.URI deems invalid
            // (e.g. "my_host.local"), and "*" with credentials would make the browser refuse the response.
            String authority = uri.getRawAuthority();
            if (uri.getScheme() == null || authority == null || authority.isEmpty()) {
                return "*";
            }
            return uri.getScheme() + "://" + authority;
        } catch (IllegalArgumentException e) {
            return "*";
        }
    }
}
