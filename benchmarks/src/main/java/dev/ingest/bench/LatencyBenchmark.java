package dev.ingest.bench;

import dev.ingest.capture.CaptureApplication;
import dev.ingest.clickhouse.client.ClickHouseHttpClient;
import dev.ingest.clickhouse.schema.ClickHouseMigrator;
import dev.ingest.clickhouse.schema.Topology;
import dev.ingest.plugin.PluginApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Capture -> queryable in ClickHouse: events sent through capture at a steady rate (batches of 10, as posthog-js
 * sends them), each uuid's send time recorded, ClickHouse polled every 250 ms for the uuids that arrived. Reports the
 * p50/p95/p99 time from the request to the row being readable through the Distributed events table.
 */
final class LatencyBenchmark {
    private final Environment environment;
    private final double eventsPerSecond;
    private final Duration duration;
    private final Duration warmUp;
    private final double firstStep;
    /** The search for the maximum stops after this many steps whatever they carried. */
    private static final int MAX_STEPS = 40;

    private final double stepBy;
    private final Duration stepFor;
    /** What capture answered when it did not answer 200 (or the client's error), with how often. */
    private static final Map<String, Long> FAILURES = new ConcurrentHashMap<>();
    private static final Duration CARRIED_WITHIN = Duration.ofSeconds(10);

    /**
     * @param eventsPerSecond the rate to measure at; 0 or less: half of the maximum, found first by steps from
     *     {@code firstStep} rising by {@code stepBy}, each held for {@code stepFor}
     */
    LatencyBenchmark(Environment environment, double eventsPerSecond, Duration duration, Duration warmUp, double firstStep,
            double stepBy, Duration stepFor) {
        this.environment = environment;
        this.eventsPerSecond = eventsPerSecond;
        this.duration = duration;
        this.warmUp = warmUp;
        this.firstStep = firstStep;
        this.stepBy = stepBy;
        this.stepFor = stepFor;
    }

    private static final int PER_REQUEST = 10;

    /**
     * Sends batches of {@link #PER_REQUEST} pageviews at the benchmark's rate for {@code period}, recording each
     * acknowledged event's send time in {@code sentAt}. The request bodies are built before the clock starts, so
     * building them costs the measured services nothing.
     */
    private static void send(HttpClient http, URI batch, String token, double eventsPerSecond, Duration period, Map<String, Long> sentAt,
            AtomicLong failures) throws InterruptedException {
        int requests = (int) Math.ceil(eventsPerSecond * period.toMillis() / 1000.0 / PER_REQUEST);
        List<List<String>> uuidsOf = new ArrayList<>(requests);
        List<String> bodies = new ArrayList<>(requests);
        for (int r = 0; r < requests; r++) {
            List<String> uuids = new ArrayList<>(PER_REQUEST);
            StringBuilder events = new StringBuilder();
            for (int i = 0; i < PER_REQUEST; i++) {
                String uuid = UUID.randomUUID().toString();
                uuids.add(uuid);
                events.append(i == 0 ? "" : ",").append(Payloads.pageview(token, 10_000, uuid));
            }
            uuidsOf.add(uuids);
            bodies.add("{\"api_key\":\"" + token + "\",\"batch\":[" + events + "]}");
        }
        long intervalNanos = (long) (1e9 * PER_REQUEST / eventsPerSecond);
        try (ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor()) {
            long next = System.nanoTime();
            for (int r = 0; r < requests; r++) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                next += intervalNanos;
                List<String> uuids = uuidsOf.get(r);
                String body = bodies.get(r);
                senders.submit(() -> {
                    long started = System.nanoTime();
                    uuids.forEach(u -> sentAt.put(u, started));
                    String outcome;
                    try {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(batch).header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        outcome = response.statusCode() == 200 ? null : response.statusCode() + " " + response.body();
                    } catch (IOException e) {
                        outcome = e.toString();
                    }
                    if (outcome != null) {
                        uuids.forEach(sentAt::remove);
                        failures.incrementAndGet();
                        FAILURES.merge(outcome.length() > 160 ? outcome.substring(0, 160) : outcome, 1L, Long::sum);
                    }
                    return null;
                });
            }
        }
    }

    /** Waits at most {@code timeout} until ClickHouse holds {@code rows} events of the benchmark's project. */
    private static boolean awaitReadable(ClickHouseHttpClient clickhouse, long rows, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (clickhouse.scalarLong("SELECT count() FROM posthog.events WHERE team_id = 1") < rows) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(250);
        }
        return true;
    }

    /**
     * Polls ClickHouse every 250 ms for the sent uuids that became readable, until sending has stopped and every sent
     * event was seen, or 60 s after sending stopped. Only rows inserted since the oldest unseen event was sent are
     * read ({@code _timestamp} is when ClickHouse's view inserted the row), so the poll costs the pipeline little.
     */
    private static void poll(ClickHouseHttpClient clickhouse, AtomicBoolean sending,
            Map<String, Long> sentAt, Map<String, Long> seenAfter) {
        long wallMinusNanos = System.currentTimeMillis() * 1_000_000 - System.nanoTime();
        long startedSeconds = System.currentTimeMillis() / 1000;
        long deadline = Long.MAX_VALUE;
        try {
            while (System.nanoTime() < deadline) {
                boolean stillSending = sending.get();
                if (!stillSending && deadline == Long.MAX_VALUE) {
                    deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                }
                long oldestUnseen = sentAt.entrySet().stream().filter(e -> !seenAfter.containsKey(e.getKey()))
                        .mapToLong(Map.Entry::getValue).min().orElse(System.nanoTime());
                long fromSeconds = Math.max(startedSeconds, (oldestUnseen + wallMinusNanos) / 1_000_000_000L) - 2;
                String window = " AND _timestamp >= toDateTime(" + fromSeconds + ")";
                List<JsonNode> rows = clickhouse.rows("SELECT toString(uuid) AS u FROM posthog.events WHERE team_id = 1" + window);
                // Timed when the answer arrived: an upper bound (the row may have been readable up to one poll earlier).
                long polled = System.nanoTime();
                for (JsonNode row : rows) {
                    String uuid = row.get("u").asString();
                    Long sent = sentAt.get(uuid);
                    if (sent != null) {
                        seenAfter.putIfAbsent(uuid, polled - sent);
                    }
                }
                if (!stillSending && seenAfter.size() >= sentAt.size()) {
                    return;
                }
                Thread.sleep(250);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("polling ClickHouse failed", e);
        }
    }

    String run() throws Exception {
        List<URI> nodes = Arrays.stream(environment.clickhouseUrls().split(",")).map(URI::create).toList();
        ClickHouseMigrator.withBundledMigrations(new Topology(nodes, "posthog", "posthog", nodes.size() > 1, environment.kafka()),
                message -> { }).migrate();
        String token = "phc_bench_latency_" + UUID.randomUUID().toString().substring(0, 8);
        String postgresUrl = environment.createDatabase();
        String[] common = {"--server.port=0", "--spring.main.banner-mode=off", "--logging.level.root=WARN",
            "--spring.datasource.url=" + postgresUrl, "--spring.datasource.username=" + environment.postgresUser(),
            "--spring.kafka.bootstrap-servers=" + environment.kafka()};
        ConfigurableApplicationContext plugin = PluginApplication.builder().run(common);
        ConfigurableApplicationContext capture = CaptureApplication.builder().run(common);
        try {
            environment.insertProject(postgresUrl, token);
            URI batch = URI.create("http://127.0.0.1:" + capture.getEnvironment().getProperty("local.server.port") + "/batch/");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            ClickHouseHttpClient warmup = new ClickHouseHttpClient(nodes.getFirst(), Duration.ofSeconds(30));
            // Warm-up: until a first event is readable, ClickHouse's Kafka consumers (new group) and the plugin service
            // are still joining; that start-up is not the steady-state latency this measures.
            String first = "{\"api_key\":\"" + token + "\",\"batch\":[" + Payloads.pageview(token, 10) + "]}";
            http.send(HttpRequest.newBuilder(batch).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(first)).build(), HttpResponse.BodyHandlers.discarding());
            long warmDeadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (warmup.scalarLong("SELECT count() FROM posthog.events WHERE team_id = 1") == 0 && System.nanoTime() < warmDeadline) {
                Thread.sleep(250);
            }
            AtomicLong failures = new AtomicLong();
            long expectedRows = 1;
            String maximum = "";
            double rate = eventsPerSecond;
            if (rate <= 0) {
                // The maximum: steps of rising rate, each held for stepFor; a step is carried when every request of it was
                // acknowledged and all its events are readable within CARRIED_WITHIN of its end (a backlog that only
                // grows never drains that fast). A step with failed requests is not carried: once capture sheds load,
                // what it still acknowledges says nothing of the rate offered. At most MAX_STEPS steps. The first steps
                // also warm the JIT up.
                StringBuilder steps = new StringBuilder();
                double carried = 0;
                for (double step = firstStep; step < firstStep + MAX_STEPS * stepBy; step += stepBy) {
                    Map<String, Long> offered = new ConcurrentHashMap<>();
                    long failedBefore = failures.get();
                    send(http, batch, token, step, stepFor, offered, failures);
                    expectedRows += offered.size();
                    long started = System.nanoTime();
                    boolean kept = awaitReadable(warmup, expectedRows, CARRIED_WITHIN);
                    steps.append(String.format(Locale.ROOT, "| %,.0f | %,d | %d | %s |%n", step, offered.size(),
                            failures.get() - failedBefore, kept ? String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - started) / 1e9)
                                    : "not within " + CARRIED_WITHIN.toSeconds() + " s"));
                    Progress.say("latency", String.format(Locale.ROOT, "step %,.0f events/s: %,d acknowledged, %d failed requests, %s",
                            step, offered.size(), failures.get() - failedBefore, kept ? "all readable" : "not all readable in time"));
                    if (!kept || failures.get() > failedBefore) {
                        awaitReadable(warmup, expectedRows, Duration.ofSeconds(300));
                        break;
                    }
                    carried = step;
                }
                rate = Math.max(PER_REQUEST, Math.floor(carried / 2 / PER_REQUEST) * PER_REQUEST);
                maximum = String.format(Locale.ROOT, "Maximum: rates rising by %,.0f events/s, each for %d s, until a step has failed"
                        + " requests or its events"
                        + " are not all readable in ClickHouse within %d s of its end:%n%n| events/s | acknowledged | failed requests"
                        + " | all readable after |%n|---|---|---|---|%n%s%nCarried: %,.0f events/s; measured below at half: %,.0f events/s.%n%n",
                        stepBy, stepFor.toSeconds(), CARRIED_WITHIN.toSeconds(), steps, carried, rate);
            }
            // Warm-up at the measured rate, not counted: on two busy cores the JIT compilers need a minute or more
            // before the services run at the speed they keep for hours.
            Map<String, Long> warmUpSent = new ConcurrentHashMap<>();
            send(http, batch, token, rate, warmUp, warmUpSent, failures);
            expectedRows += warmUpSent.size();
            // The measured events must not queue behind a warm-up backlog: wait until ClickHouse has all of it.
            long warmEnded = System.nanoTime();
            boolean warmDrained = awaitReadable(warmup, expectedRows, Duration.ofSeconds(300));
            String drained = String.format(Locale.ROOT, "the warm-up's %,d events: %s %.1f s after the last was sent",
                    warmUpSent.size(), warmDrained ? "all readable" : "NOT all readable", (System.nanoTime() - warmEnded) / 1e9);
            Map<String, Long> sentAt = new ConcurrentHashMap<>();
            Map<String, Long> seenAfter = new ConcurrentHashMap<>();
            // The poller runs while events are sent: a row is timed when the first poll after its insertion sees it.
            AtomicBoolean sending = new AtomicBoolean(true);
            ClickHouseHttpClient clickhouse = new ClickHouseHttpClient(nodes.getFirst(), Duration.ofSeconds(30));
            Thread poller = Thread.ofPlatform().name("latency-poller").start(() -> poll(clickhouse, sending, sentAt, seenAfter));
            CpuUse cpu = CpuUse.start();
            ClickHouseEvents counters = ClickHouseEvents.start(nodes.stream()
                    .map(node -> new ClickHouseHttpClient(node, Duration.ofSeconds(30))).toList());
            long sendStarted = System.nanoTime();
            send(http, batch, token, rate, duration, sentAt, failures);
            String cpuUse = cpu.report(rate * duration.toSeconds());
            String clickhouseWork = counters.report((System.nanoTime() - sendStarted) / 1e9, rate * duration.toSeconds())
                    + "\nactive parts after the run: " + counters.parts();
            sending.set(false);
            poller.join();
            long missing = sentAt.size() - seenAfter.size();
            long[] latencies = Stats.sorted(seenAfter.values().stream().mapToLong(Long::longValue).toArray());
            return String.format(Locale.ROOT, "### capture -> queryable in ClickHouse%n%n") + maximum + String.format(Locale.ROOT, ""
                    + "%,.0f events/s through `POST /batch/` (batches of %d) for %d s after %d s of warm-up at that rate;"
                    + " ClickHouse polled every 250 ms.%n%n"
                    + "| events acknowledged | readable in ClickHouse | p50 ms | p95 ms | p99 ms |%n|---|---|---|---|---|%n"
                    + "| %,d | %,d | %.0f | %.0f | %.0f |%n%nnot readable within 60 s: %d%n",
                    rate, PER_REQUEST, duration.toSeconds(), warmUp.toSeconds(), sentAt.size(), seenAfter.size(),
                    Stats.percentile(latencies, 50), Stats.percentile(latencies, 95), Stats.percentile(latencies, 99), missing)
                    + "failed requests: " + failures.get() + (FAILURES.isEmpty() ? "" : " " + FAILURES) + "\n\n" + drained + "\n\nCPU used while sending, by process: " + cpuUse + "\n"
                    + "\nClickHouse's own counters while sending (system.events, per second and per event):\n\n" + clickhouseWork;
        } finally {
            capture.close();
            plugin.close();
        }
    }
}
