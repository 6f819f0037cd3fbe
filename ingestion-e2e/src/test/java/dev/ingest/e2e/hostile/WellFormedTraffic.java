package dev.ingest.e2e.hostile;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What an SDK sends while the attack runs: single events to the capture routes in turn and /flags?v=2 calls, from a
 * few workers on keep-alive connections, each paced by a short pause. Records every latency and every answer that
 * was not a 200, and the uuid of each event capture acknowledged.
 */
public final class WellFormedTraffic {
    private static final List<String> CAPTURE_ROUTES = List.of("/e/", "/i/v0/e/", "/batch/", "/capture/");

    private final URI capture;
    private final URI decide;
    private final String token;
    private final int workers;
    private final Duration pause;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final List<String> acknowledged = new CopyOnWriteArrayList<>();

    public WellFormedTraffic(URI capture, URI decide, String token, int workers, Duration pause) {
        this.capture = capture;
        this.decide = decide;
        this.token = token;
        this.workers = workers;
        this.pause = pause;
    }

    /** Latencies (ms) and failures of one phase. */
    public record Samples(List<Double> captureMillis, List<Double> decideMillis, List<String> failures) {
        public static double percentile(List<Double> values, double percentile) {
            if (values.isEmpty()) {
                return Double.NaN;
            }
            List<Double> sorted = new ArrayList<>(values);
            Collections.sort(sorted);
            int index = (int) Math.ceil(percentile / 100 * sorted.size()) - 1;
            return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
        }
    }

    /** Runs the workers for {@code duration} and returns what they saw. */
    public Samples run(Duration duration) throws InterruptedException {
        List<Double> captureMillis = Collections.synchronizedList(new ArrayList<>());
        List<Double> decideMillis = Collections.synchronizedList(new ArrayList<>());
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + duration.toNanos();
        AtomicInteger sequence = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            threads.add(Thread.ofPlatform().name("well-formed-" + w).start(() -> {
                while (System.nanoTime() < end) {
                    int n = sequence.incrementAndGet();
                    if (n % 3 == 0) {
                        flags(n, decideMillis, failures);
                    } else {
                        event(n, captureMillis, failures);
                    }
                    sleep(pause);
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return new Samples(List.copyOf(captureMillis), List.copyOf(decideMillis), List.copyOf(failures));
    }

    /** The uuids of every event capture answered 200 for. */
    public List<String> acknowledged() {
        return List.copyOf(acknowledged);
    }

    private void event(int n, List<Double> millis, List<String> failures) {
        String uuid = UUID.randomUUID().toString();
        String route = CAPTURE_ROUTES.get(n % CAPTURE_ROUTES.size());
        String event = "{\"event\":\"steady\",\"distinct_id\":\"steady-" + (n % 50) + "\",\"uuid\":\"" + uuid
                + "\",\"properties\":{\"n\":" + n + ",\"$current_url\":\"https://example.com/\"}}";
        String body = route.startsWith("/batch")
                ? "{\"api_key\":\"" + token + "\",\"batch\":[" + event + "]}"
                : event.replace("{\"event\"", "{\"api_key\":\"" + token + "\",\"event\"");
        if (send(capture.resolve(route), body, millis, failures, route)) {
            acknowledged.add(uuid);
        }
    }

    private void flags(int n, List<Double> millis, List<String> failures) {
        String body = "{\"token\":\"" + token + "\",\"distinct_id\":\"steady-" + (n % 50)
                + "\",\"person_properties\":{\"plan\":\"" + (n % 2 == 0 ? "pro" : "free") + "\"}}";
        send(decide.resolve("/flags/?v=2"), body, millis, failures, "/flags/?v=2");
    }

    private boolean send(URI uri, String body, List<Double> millis, List<String> failures, String route) {
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            millis.add((System.nanoTime() - started) / 1e6);
            if (response.statusCode() != 200) {
                failures.add(route + " answered " + response.statusCode() + ": " + response.body());
                return false;
            }
            return true;
        } catch (Exception e) {
            failures.add(route + " failed at " + Instant.now().toString().substring(11, 19) + " UTC: " + e);
            return false;
        }
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
