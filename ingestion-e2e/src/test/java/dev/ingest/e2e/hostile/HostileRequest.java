package dev.ingest.e2e.hostile;

import java.util.List;
import java.util.Objects;

/**
 * One malformed request and the one status the README promises for it. {@code target} names the service it is for;
 * {@code path} includes the query. Headers are sent as given, so they may lie (a Content-Length, a Content-Encoding);
 * without a Content-Length header one is added for the body.
 */
public record HostileRequest(String name, Target target, String method, String path, List<Header> headers, byte[] body,
        int expectedStatus) {

    public enum Target { CAPTURE, DECIDE, MANAGEMENT_API }

    public record Header(String name, String value) {}

    public HostileRequest {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(target, "target is null");
        headers = List.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    public boolean hasHeader(String header) {
        return headers.stream().anyMatch(h -> h.name().equalsIgnoreCase(header));
    }

    @Override
    public String toString() {
        return target + " " + method + " " + path + " [" + name + "] (" + body.length + " bytes) expecting " + expectedStatus;
    }
}
