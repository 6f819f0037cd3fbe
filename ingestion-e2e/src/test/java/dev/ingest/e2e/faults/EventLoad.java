package dev.ingest.e2e.faults;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A steady, paced stream of capture requests for one project, as SDKs would send it: anonymous pageviews, {@code $set}
 * events, and {@code $identify} events that merge an earlier anonymous id into a user (sometimes a user who already
 * has a person of their own), one to five events per request ({@code /e/} for one, {@code /batch/} for more). The
 * load is an open loop, as many independent clients make it: a slow or failing capture does not slow the senders
 * down, so requests pile up in flight during an outage as they would in production.
 *
 * <p>It records the uuid of every event it sent and of every event capture acknowledged. Only a 2xx answer
 * acknowledges a request's events; any other answer, a time-out or a connection error (capture killed mid-request)
 * leaves them unacknowledged: the client would retry them, and the platform owes nothing for them.
 */
final class EventLoad {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    /** What the load did: every uuid sent and acknowledged, and the failed requests by cause. */
    record Tally(Set<String> sent, Set<String> acknowledged, Map<String, Long> failedRequests, long requests) {
        long failedRequestCount() {
            return failedRequests.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private final URI capture;
    private final String token;
    private final double eventsPerSecond;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Set<String> sent = ConcurrentHashMap.newKeySet();
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicInteger anonymousIds = new AtomicInteger();
    /** Anonymous ids whose first event was acknowledged and that no identify has claimed yet. */
    private final ConcurrentLinkedQueue<Integer> identifiable = new ConcurrentLinkedQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private ExecutorService requestsInFlight;
    private Thread pacer;

    EventLoad(URI capture, String token, double eventsPerSecond) {
        this.capture = capture;
        this.token = token;
        this.eventsPerSecond = eventsPerSecond;
    }

    /** Starts sending: open loop, a new request when one is due, whether or not earlier ones were answered. */
    void start() {
        running.set(true);
        requestsInFlight = Executors.newVirtualThreadPerTaskExecutor();
        pacer = Thread.ofVirtual().name("event-load-pacer").start(this::pace);
    }

    /** Stops sending, waits for the requests in flight, and returns the tally. */
    Tally stop() {
        running.set(false);
        try {
            if (pacer != null) {
                pacer.join();
            }
            if (requestsInFlight != null) {
                requestsInFlight.shutdown();
                if (!requestsInFlight.awaitTermination(REQUEST_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the load's requests did not finish");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Map<String, Long> failed = new TreeMap<>();
        failures.forEach((cause, count) -> failed.put(cause, count.get()));
        return new Tally(Set.copyOf(sent), Set.copyOf(acknowledged), failed, requests.get());
    }

    /** The uuids acknowledged so far (a copy). */
    Set<String> acknowledgedSoFar() {
        return Set.copyOf(acknowledged);
    }

    long acknowledgedCount() {
        return acknowledged.size();
    }

    /** Requests sent and not yet answered. */
    /** Requests answered with anything but a 2xx, or not answered, so far. */
    long failedRequestCount() {
        return failures.values().stream().mapToLong(AtomicLong::get).sum();
    }

    int inFlight() {
        return inFlight.get();
    }

    private void pace() {
        double intervalPerEventNanos = 1e9 / eventsPerSecond;
        long next = System.nanoTime();
        while (running.get()) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(Duration.ofNanos(wait));
                } catch (InterruptedException e) {
                    return;
                }
            }
            int count = ThreadLocalRandom.current().nextInt(1, 6);
            next += (long) (intervalPerEventNanos * count);
            requestsInFlight.submit(() -> send(count));
        }
    }

    private void send(int count) {
        List<Event> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(nextEvent());
        }
        StringBuilder body = new StringBuilder();
        String path;
        if (count == 1) {
            path = "/e/";
            body.append(events.getFirst().json(token));
        } else {
            path = "/batch/";
            body.append("{\"api_key\":\"").append(token).append("\",\"batch\":[");
            for (int i = 0; i < count; i++) {
                body.append(i == 0 ? "" : ",").append(events.get(i).json(null));
            }
            body.append("]}");
        }
        events.forEach(event -> sent.add(event.uuid()));
        requests.incrementAndGet();
        inFlight.incrementAndGet();
        String failure;
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(capture.resolve(path)).timeout(REQUEST_TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.discarding());
            failure = response.statusCode() / 100 == 2 ? null : "http " + response.statusCode();
        } catch (IOException e) {
            failure = e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = "interrupted";
        } finally {
            inFlight.decrementAndGet();
        }
        if (failure != null) {
            failures.computeIfAbsent(failure, cause -> new AtomicLong()).incrementAndGet();
            return;
        }
        for (Event event : events) {
            acknowledged.add(event.uuid());
            if (event.firstOfAnonymousId() >= 0) {
                identifiable.add(event.firstOfAnonymousId());
            }
        }
    }

    /** 70% pageviews (a third of them from a new anonymous id), 15% $set, 15% $identify when an id is waiting. */
    private Event nextEvent() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long seq = sequence.incrementAndGet();
        int roll = random.nextInt(100);
        if (roll < 15) {
            Integer anonymous = identifiable.poll();
            if (anonymous != null) {
                return new Event("$identify", "user-" + anonymous, seq, -1, "\"$anon_distinct_id\":\"anon-" + anonymous
                        + "\",\"$set\":{\"email\":\"user-" + anonymous + "@fault.test\"}");
            }
        } else if (roll < 30 && anonymousIds.get() > 0) {
            int id = random.nextInt(anonymousIds.get());
            // Half of them to a user id that may not be identified yet: its identify then merges two persons.
            String distinctId = (random.nextBoolean() ? "anon-" : "user-") + id;
            return new Event("$set", distinctId, seq, -1, "\"$set\":{\"plan\":\"" + List.of("free", "pro", "team").get(random.nextInt(3))
                    + "\",\"seen\":" + seq + "}");
        }
        if (anonymousIds.get() == 0 || random.nextInt(3) == 0) {
            int id = anonymousIds.getAndIncrement();
            return new Event("$pageview", "anon-" + id, seq, id, "\"$current_url\":\"https://fault.test/" + seq + "\"");
        }
        return new Event("$pageview", "anon-" + random.nextInt(anonymousIds.get()), seq, -1,
                "\"$current_url\":\"https://fault.test/" + seq + "\"");
    }

    /** One event; {@code firstOfAnonymousId} is the anonymous id it introduces, or -1. */
    private record Event(String name, String distinctId, long seq, int firstOfAnonymousId, String properties, String uuid) {
        Event(String name, String distinctId, long seq, int firstOfAnonymousId, String properties) {
            this(name, distinctId, seq, firstOfAnonymousId, properties, UUID.randomUUID().toString());
        }

        String json(String apiKey) {
            return "{" + (apiKey == null ? "" : "\"api_key\":\"" + apiKey + "\",") + "\"event\":\"" + name
                    + "\",\"distinct_id\":\"" + distinctId + "\",\"uuid\":\"" + uuid + "\",\"properties\":{\"fault_seq\":" + seq
                    + "," + properties + "}}";
        }
    }
}
