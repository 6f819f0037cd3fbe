package dev.ingest.e2e.faults;

import dev.ingest.clickhouse.client.ClickHouseHttpClient;
import dev.ingest.common.kafka.Topics;
import dev.ingest.common.testing.TopicTail;
import dev.ingest.e2e.PersonsConvergence;
import dev.ingest.e2e.TestingPlatform;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import tools.jackson.databind.JsonNode;

/**
 * Runs one fault at a time against a project of its own on a {@link Deployment}, under a steady load, and measures
 * what became of every event: stored exactly once, persons and distinct ids in ClickHouse equal to PostgreSQL's, no
 * dead letters, every service healthy again.
 */
final class FaultRig<D extends Deployment> implements AutoCloseable {
    private static final Duration CATCH_UP = Duration.ofSeconds(180);
    private static final String CLICKHOUSE_EVENTS_GROUP = "ingest_" + TestingPlatform.CLICKHOUSE_DATABASE + "_events";

    private final D deployment;
    private final SuiteForm form;
    private final ConsumerLag lag = new ConsumerLag();
    private final TopicTail pluginDeadLetters = new TopicTail(Topics.EVENTS_PLUGIN_INGESTION_DLQ);
    private final TopicTail captureDeadLetters = new TopicTail(Topics.CAPTURE_EVENTS_DEAD_LETTER);

    FaultRig(D deployment, SuiteForm form) {
        this.deployment = deployment;
        this.form = form;
    }

    D deployment() {
        return deployment;
    }

    /** Runs one fault under load against a new project and measures the outcome; never throws for what it finds. */
    FaultResult run(Fault<D> fault) throws Exception {
        log("fault: " + fault.name());
        TestingPlatform.TestProject project = deployment.createProject("fault: " + fault.name());
        List<String> notes = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        EventLoad load = new EventLoad(deployment.captureUrl(), project.token(), form.eventsPerSecond());
        CatchUpWatch watch;
        long healthyAfterMillis;
        EventLoad.Tally tally;
        try {
            load.start();
            Thread.sleep(form.warmup());
            // A fresh project on a service that just restarted (the suite's first fault) can take longer than the
            // warm-up for its first acknowledgement (capture answered 503 while warming up in one CI run): wait for
            // it with a deadline rather than start the fault before any traffic got through.
            long firstAckBy = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (load.acknowledgedCount() == 0 && System.nanoTime() < firstAckBy) {
                Thread.sleep(100);
            }
            if (load.acknowledgedCount() == 0) {
                problems.add("nothing was acknowledged before the fault");
            }
            fault.injection().inject(deployment, load, notes);
            long faultEnd = System.nanoTime();
            watch = new CatchUpWatch(project.id(), load.acknowledgedSoFar(), faultEnd);
            healthyAfterMillis = deployment.awaitHealthy(notes) ? (System.nanoTime() - faultEnd) / 1_000_000 : -1;
            if (healthyAfterMillis < 0) {
                problems.add("not every service was healthy again: " + deployment.health());
            }
            Thread.sleep(form.tail());
        } finally {
            tally = load.stop();
        }
        log("  sent " + tally.sent().size() + ", acknowledged " + tally.acknowledged().size() + ", failed requests "
                + tally.failedRequests());

        long allStoredAfterMillis = watch.await();
        Delivery delivery = settleAndCount(project.id(), tally, problems);
        checkPersons(project.id(), problems);
        checkDeadLetters(project.token(), problems);
        deployment.takeSettledChecks().forEach(Runnable::run);
        for (String note : List.copyOf(notes)) {
            if (note.startsWith(PROBLEM)) {
                notes.remove(note);
                problems.add(note.substring(PROBLEM.length()));
            }
        }
        if (!deployment.allHealthy()) {
            problems.add("a service was unhealthy at the end: " + deployment.health());
        }
        if (!tally.failedRequests().isEmpty()) {
            notes.add("failed requests: " + tally.failedRequests());
        }
        if (delivery.storedUnacknowledged() > 0) {
            notes.add(delivery.storedUnacknowledged() + " unacknowledged events stored anyway (their request failed after Kafka had them)");
        }
        if (delivery.copiesBeforeMerge() > delivery.stored()) {
            notes.add((delivery.copiesBeforeMerge() - delivery.stored()) + " redelivered copies collapsed by FINAL");
        }
        if (allStoredAfterMillis < 0) {
            problems.add("events acknowledged before the fault's end were not all stored within " + CATCH_UP.toSeconds() + " s");
        }
        FaultResult result = new FaultResult(fault.name(), tally.sent().size(), tally.acknowledged().size(), delivery,
                healthyAfterMillis, allStoredAfterMillis, notes, problems);
        log("  " + result);
        return result;
    }

    /**
     * Waits until every acknowledged event is stored and nothing more is on its way (plugin-service and ClickHouse's
     * consumer caught up), then counts each uuid's rows under FINAL.
     */
    private Delivery settleAndCount(long teamId, EventLoad.Tally tally, List<String> problems) {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        Set<String> stored = Set.of();
        while (System.nanoTime() < deadline) {
            try {
                stored = storedUuids(teamId);
                if (stored.containsAll(tally.acknowledged())) {
                    break;
                }
            } catch (RuntimeException e) {
                // A shard that is still coming back: try again.
            }
            sleep(Duration.ofMillis(500));
        }
        waitFor("plugin-service consumer lag 0", () -> deployment.pluginLag() == 0, Duration.ofSeconds(60), problems);
        waitFor("ClickHouse events consumer lag 0", () -> lag.of(CLICKHOUSE_EVENTS_GROUP, List.of(Topics.CLICKHOUSE_EVENTS_JSON)) == 0,
                Duration.ofSeconds(60), problems);
        // The Kafka tables flush blocks every 500 ms (stream_flush_interval_ms) and the Distributed table forwards
        // rows to the other shard in the background: give both a moment after the offsets were committed.
        sleep(Duration.ofSeconds(2));
        ClickHouseHttpClient clickhouse = deployment.stores().clickhouse();
        Map<String, Long> copies = new HashMap<>();
        for (JsonNode row : clickhouse.rows("SELECT toString(uuid) AS u, count() AS c FROM posthog.events FINAL WHERE team_id = "
                + teamId + " GROUP BY u")) {
            copies.put(row.get("u").asString(), row.get("c").asLong());
        }
        long copiesBeforeMerge = clickhouse.scalarLong("SELECT count() FROM posthog.events WHERE team_id = " + teamId);
        long finalCount = clickhouse.scalarLong("SELECT count() FROM posthog.events FINAL WHERE team_id = " + teamId);
        long distinct = clickhouse.scalarLong("SELECT uniqExact(uuid) FROM posthog.events WHERE team_id = " + teamId);
        Delivery delivery = Delivery.of(tally.sent(), tally.acknowledged(), copies, copiesBeforeMerge);
        if (finalCount != distinct || distinct != copies.size()) {
            problems.add("count() FINAL " + finalCount + ", distinct uuids " + distinct + ", per-uuid rows " + copies.size());
        }
        if (!delivery.lostUuids().isEmpty()) {
            problems.add("lost " + delivery.lost() + " acknowledged events, e.g. " + sample(delivery.lostUuids()));
        }
        if (!delivery.duplicatedUuids().isEmpty()) {
            problems.add("duplicated under FINAL: " + sample(delivery.duplicatedUuids()));
        }
        if (!delivery.unknownUuids().isEmpty()) {
            problems.add(delivery.unknownUuids().size() + " stored uuids this load never sent, e.g. " + sample(delivery.unknownUuids()));
        }
        return delivery;
    }

    private static final Duration CONVERGENCE_DEADLINE = Duration.ofSeconds(240);

    private void checkPersons(long teamId, List<String> problems) {
        try {
            // A bounded wait, not a speed check: after a ClickHouse node comes back, the other fetches the parts it
            // missed through replication, whose retries back off (a busy CI machine once needed more than 60 s).
            PersonsConvergence.Persons persons = PersonsConvergence.awaitConverged(deployment.stores(), teamId, CONVERGENCE_DEADLINE);
            if (persons.persons().isEmpty()) {
                problems.add("no persons in PostgreSQL");
            }
        } catch (AssertionError e) {
            problems.add(e.getMessage());
        }
    }

    /** Nothing intentionally bad is sent, so neither dead-letter topic may hold an event of this project. */
    private void checkDeadLetters(String token, List<String> problems) {
        byte[] marker = token.getBytes(StandardCharsets.UTF_8);
        Map<String, TopicTail> tails = Map.of(Topics.EVENTS_PLUGIN_INGESTION_DLQ, pluginDeadLetters,
                Topics.CAPTURE_EVENTS_DEAD_LETTER, captureDeadLetters);
        tails.forEach((topic, tail) -> {
            long count = tail.drain(r -> contains(r.value(), marker) || (r.key() != null && r.key().startsWith(token)),
                    Duration.ofSeconds(1)).size();
            if (count > 0) {
                problems.add(count + " events of this project on " + topic);
            }
        });
    }

    private Set<String> storedUuids(long teamId) {
        Set<String> uuids = new HashSet<>();
        for (JsonNode row : deployment.stores().clickhouse().rows("SELECT DISTINCT toString(uuid) AS u FROM posthog.events WHERE team_id = " + teamId)) {
            uuids.add(row.get("u").asString());
        }
        return uuids;
    }

    /** Measures, from the fault's end, when every event acknowledged before then is stored (in the background). */
    private final class CatchUpWatch {
        private final CompletableFuture<Long> millis;
        private final AtomicBoolean cancelled = new AtomicBoolean();

        CatchUpWatch(long teamId, Set<String> acknowledged, long faultEnd) {
            this.millis = CompletableFuture.supplyAsync(() -> {
                long deadline = faultEnd + CATCH_UP.toNanos();
                while (System.nanoTime() < deadline && !cancelled.get()) {
                    try {
                        if (storedUuids(teamId).containsAll(acknowledged)) {
                            return (System.nanoTime() - faultEnd) / 1_000_000;
                        }
                    } catch (RuntimeException e) {
                        // ClickHouse shard still down or coming back.
                    }
                    sleep(Duration.ofMillis(500));
                }
                return -1L;
            });
        }

        long await() throws Exception {
            try {
                return millis.get(CATCH_UP.toSeconds() + 30, TimeUnit.SECONDS);
            } finally {
                cancelled.set(true);
            }
        }
    }

    private static void waitFor(String what, BooleanSupplier condition, Duration timeout, List<String> problems) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                // Kafka still coming back: try again.
            }
            sleep(Duration.ofMillis(500));
        }
        problems.add("no " + what + " within " + timeout.toSeconds() + " s");
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static String sample(Set<String> uuids) {
        return uuids.stream().sorted().limit(10).toList() + (uuids.size() > 10 ? " and " + (uuids.size() - 10) + " more" : "");
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static final String PROBLEM = "PROBLEM: ";

    /** Reports, from a fault's injection or a settled check, a broken promise: it goes to the fault's problems. */
    static void problem(List<String> notes, String problem) {
        notes.add(PROBLEM + problem);
    }

    static void log(String line) {
        System.out.println("[fault-suite] " + line);
    }

    @Override
    public void close() {
        lag.close();
        pluginDeadLetters.close();
        captureDeadLetters.close();
        deployment.close();
    }
}
