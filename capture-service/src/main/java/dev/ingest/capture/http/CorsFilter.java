package dev.ingest.capture.http;

import dev.ingest.common.http.PostHogCorsFilter;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** PostHog's CORS for the capture routes, ahead of everything else. */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class CorsFilter extends PostHogCorsFilter {}
