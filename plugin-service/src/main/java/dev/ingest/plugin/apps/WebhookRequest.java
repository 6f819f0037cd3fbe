package dev.ingest.plugin.apps;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An HTTP request a destination app wants sent for one event (PostHog's {@code composeWebhook} result). Deliveries
 * check the target against the SSRF policy, send it with a timeout and retry it with backoff.
 *
 * @param method POST, PUT, PATCH, GET or DELETE
 * @param url an absolute http or https URL
 * @param headers request headers (no Host, Content-Length or Connection: the client sets them)
 * @param body the request body, or {@code null} for none
 */
public record WebhookRequest(String method, URI url, Map<String, String> headers, String body) {
    public static final Set<String> METHODS = Set.of("POST", "PUT", "PATCH", "GET", "DELETE");

    public WebhookRequest {
        method = Objects.requireNonNull(method, "method is null").toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("method must be one of " + METHODS + ", not " + method);
        }
        Objects.requireNonNull(url, "url is null");
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw new IllegalArgumentException("url must be an absolute http(s) URL: " + url);
        }
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    public static WebhookRequest post(URI url, Map<String, String> headers, String body) {
        return new WebhookRequest("POST", url, headers, body);
    }
}
