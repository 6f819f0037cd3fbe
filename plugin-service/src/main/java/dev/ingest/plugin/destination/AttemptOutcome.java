package dev.ingest.plugin.destination;

import java.io.IOException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;

/**
 * What one attempt of a delivery came to. The classification of HTTP answers and exceptions lives here and nowhere
 * else: 2xx (and 3xx, never followed) delivered; 408, 429 and 5xx, timeouts, connection and DNS errors retried; any
 * other 4xx failed for good (the same request would be refused again); a refused target failed for good.
 */
public sealed interface AttemptOutcome {
    record Delivered(String detail) implements AttemptOutcome {}

    /** Try again after a backoff, while attempts remain. */
    record Retry(String reason) implements AttemptOutcome {}

    /** Dead-letter now: retrying cannot help. */
    record Fail(String reason) implements AttemptOutcome {}

    /** Not sent, on purpose (the destination was removed or disabled since the event was read). */
    record Skipped(String reason) implements AttemptOutcome {}

    static AttemptOutcome ofStatus(int status) {
        if (status >= 200 && status < 400) {
            return new Delivered("HTTP " + status);
        }
        if (status == 408 || status == 429 || status >= 500) {
            return new Retry("HTTP " + status);
        }
        return new Fail("HTTP " + status + " (a client error: the same request would fail again)");
    }

    static AttemptOutcome ofException(Throwable error) {
        String message = error.getClass().getSimpleName() + (error.getMessage() == null ? "" : ": " + error.getMessage());
        if (error instanceof HttpTimeoutException) {
            return new Retry("timed out (" + message + ")");
        }
        if (error instanceof UnknownHostException) {
            return new Retry("the host did not resolve (" + message + ")");
        }
        if (error instanceof IOException) {
            return new Retry(message);
        }
        if (error instanceof IllegalArgumentException) {
            return new Fail(message);
        }
        return new Retry(message);
    }
}
