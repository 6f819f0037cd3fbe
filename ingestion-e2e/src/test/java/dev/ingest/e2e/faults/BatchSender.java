package dev.ingest.e2e.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Posts batches of events to {@code /batch/} at the public address and retries each until it is acknowledged, with a
 * growing pause, as an SDK's retry queue does: an answer that is not 2xx, or no answer, is retried.
 */
final class BatchSender {
    private static final int ATTEMPTS = 30;

    private final URI batchUrl;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    BatchSender(URI publicUrl, String token) {
        this.batchUrl = publicUrl.resolve("/batch/");
        this.token = token;
    }

    /** Sends the events (each a JSON object without api_key) as one batch until acknowledged; returns the retries. */
    int sendUntilAcknowledged(List<String> events) throws InterruptedException {
        String body = "{\"api_key\":\"" + token + "\",\"batch\":[" + String.join(",", events) + "]}";
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                int status = http.send(HttpRequest.newBuilder(batchUrl).timeout(Duration.ofSeconds(15))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status / 100 == 2) {
                    return attempt;
                }
            } catch (IOException e) {
                // Retried below, as a client would.
            }
            Thread.sleep(Math.min(5_000, 200L << Math.min(attempt, 5)));
        }
        throw new IllegalStateException("a batch was not acknowledged after " + ATTEMPTS + " attempts");
    }
}
