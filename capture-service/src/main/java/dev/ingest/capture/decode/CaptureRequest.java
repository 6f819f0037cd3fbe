package dev.ingest.capture.decode;

import java.util.Map;

/**
 * What the decoder needs of an HTTP request, free of the servlet API so it can be tested as a pure function.
 *
 * @param query the query-string parameters (first value of each)
 * @param contentType the media type without parameters, lower case, or "" when absent
 * @param contentEncoding the Content-Encoding header, or null
 * @param body the raw body, already capped at the route's size limit
 */
public record CaptureRequest(
        String method,
        String path,
        Map<String, String> query,
        String contentType,
        String contentEncoding,
        byte[] body) {

    public boolean isGet() {
        return "GET".equalsIgnoreCase(method);
    }
}
