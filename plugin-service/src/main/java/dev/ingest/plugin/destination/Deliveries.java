package dev.ingest.plugin.destination;

import dev.ingest.common.json.Json;
import dev.ingest.common.kafka.OutgoingRecord;
import dev.ingest.common.kafka.RecordSink;
import dev.ingest.plugin.ingestion.kafka.ClickHouseRows;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs deliveries, each destination in its own lane, and settles every one of them: delivered or skipped; failed
 * with attempts left: produced to the retry topic, due after an exponential backoff; failed for good or out of
 * attempts: produced to the dead-letter topic with the reason, plus a {@code destination_delivery_failed} ingestion
 * warning for the project. {@code onDone} runs only once the outcome is durable (the retry or dead-letter record
 * acknowledged by Kafka), so the caller may then commit the source offset. If Kafka cannot take it, settling retries
 * until it can or the service stops (then the offset stays uncommitted and the event is read again).
 * <p>
 * Isolation: a lane runs at most {@code concurrencyPerDestination} attempts at once, each bounded by the request
 * timeout, on virtual threads; a lane with {@code maxPendingPerDestination} deliveries waiting sends new ones
 * straight to the retry topic (that counts as an attempt). A hanging destination therefore fills only its own lane.
 */
public final class Deliveries implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Deliveries.class);
    public static final String WARNING_TYPE = "destination_delivery_failed";

    /** The knobs of {@link Deliveries}, from {@code ingest.plugin.destinations}. */
    public record Settings(String retryTopic, String deadLetterTopic, int maxAttempts, Duration initialBackoff,
            Duration maxBackoff, int concurrencyPerDestination, int maxPendingPerDestination, DeliverySeal seal) {}

    private record Lane(Semaphore permits, AtomicInteger pending) {}

    private final Settings settings;
    private final AttemptRunner runner;

    /** How this service seals the headers of the deliveries it writes to the retry and dead-letter topics. */
    DeliverySeal seal() {
        return settings.seal();
    }

    private final RecordSink sink;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final Map<Long, Lane> lanes = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    public Deliveries(Settings settings, AttemptRunner runner, RecordSink sink, Clock clock, MeterRegistry metrics) {
        this.settings = settings;
        this.runner = runner;
        this.sink = sink;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Deliveries started and not yet settled, across lanes (the consumers pause above a limit). */
    public int inFlight() {
        return inFlight.get();
    }

    /** Starts the delivery's attempt in its destination's lane; {@code onDone} runs once it is settled. */
    public void dispatch(Delivery delivery, Runnable onDone) {
        inFlight.incrementAndGet();
        Lane lane = lanes.computeIfAbsent(delivery.destinationId(),
                id -> new Lane(new Semaphore(settings.concurrencyPerDestination()), new AtomicInteger()));
        if (lane.pending().incrementAndGet() > settings.maxPendingPerDestination()) {
            lane.pending().decrementAndGet();
            Thread.ofVirtual().name("delivery-overflow").start(() -> settle(delivery,
                    new AttemptOutcome.Retry("the destination has " + settings.maxPendingPerDestination()
                            + " deliveries waiting"), onDone));
            return;
        }
        Thread.ofVirtual().name("delivery-" + delivery.destinationId()).start(() -> {
            AttemptOutcome outcome;
            try {
                lane.permits().acquire();
                try {
                    outcome = runner.attempt(delivery);
                } finally {
                    lane.permits().release();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                outcome = new AttemptOutcome.Retry("interrupted");
            } finally {
                lane.pending().decrementAndGet();
            }
            settle(delivery, outcome, onDone);
        });
    }

    /** Settles a delivery that never reached a lane (its app could not compose it): straight to dead letters. */
    public void deadLetter(Delivery delivery, String reason, Runnable onDone) {
        inFlight.incrementAndGet();
        Thread.ofVirtual().name("delivery-dead-letter").start(() -> settle(delivery, new AttemptOutcome.Fail(reason), onDone));
    }

    private void settle(Delivery delivery, AttemptOutcome outcome, Runnable onDone) {
        try {
            List<OutgoingRecord> records = switch (outcome) {
                case AttemptOutcome.Delivered delivered -> List.of();
                case AttemptOutcome.Skipped skipped -> List.of();
                case AttemptOutcome.Retry retry when delivery.attempt() < settings.maxAttempts() -> List.of(retryRecord(
                        delivery.next(clock.millis() + backoff(delivery.attempt()).toMillis(), retry.reason())));
                case AttemptOutcome.Retry retry -> deadLetterRecords(delivery,
                        "gave up after " + delivery.attempt() + " attempts; the last: " + retry.reason());
                case AttemptOutcome.Fail fail -> deadLetterRecords(delivery, fail.reason());
            };
            count(delivery, outcome);
            if (!records.isEmpty() && !produce(records)) {
                return; // closing: the source offset stays uncommitted, the event is read again
            }
            onDone.run();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** The pause before attempt {@code failedAttempt + 1}: initial x 2^(n-1), capped, plus up to 10% jitter. */
    Duration backoff(int failedAttempt) {
        long initial = settings.initialBackoff().toMillis();
        long max = settings.maxBackoff().toMillis();
        long base = failedAttempt >= 40 ? max : Math.min(max, initial * (1L << (failedAttempt - 1)));
        return Duration.ofMillis(base + ThreadLocalRandom.current().nextLong(base / 10 + 1));
    }

    private OutgoingRecord retryRecord(Delivery next) {
        return new OutgoingRecord(settings.retryTopic(), Long.toString(next.destinationId()), next.toJson(settings.seal()),
                headers(next, next.lastError()));
    }

    private List<OutgoingRecord> deadLetterRecords(Delivery delivery, String reason) {
        Delivery failed = new Delivery(delivery.destinationId(), delivery.teamId(), delivery.app(), delivery.eventUuid(),
                delivery.attempt(), delivery.notBefore(), reason, delivery.request(), delivery.event());
        log.warn("delivery of event {} to destination {} ({}, {}) dead-lettered after {} attempt(s): {}",
                delivery.eventUuid(), delivery.destinationId(), delivery.app(), delivery.target(), delivery.attempt(), reason);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("eventUuid", String.valueOf(delivery.eventUuid()));
        details.put("app", delivery.app());
        details.put("destinationId", delivery.destinationId());
        details.put("target", delivery.target());
        details.put("attempts", delivery.attempt());
        details.put("error", reason.length() > 500 ? reason.substring(0, 500) : reason);
        return List.of(
                new OutgoingRecord(settings.deadLetterTopic(), Long.toString(delivery.destinationId()), failed.toJson(settings.seal()),
                        headers(delivery, reason)),
                ClickHouseRows.warning(delivery.teamId(), WARNING_TYPE, Json.write(details), clock.instant()));
    }

    private static Map<String, String> headers(Delivery delivery, String reason) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("destination_id", Long.toString(delivery.destinationId()));
        headers.put("team_id", Long.toString(delivery.teamId()));
        headers.put("app", delivery.app());
        headers.put("attempt", Integer.toString(delivery.attempt()));
        if (reason != null) {
            headers.put("reason", reason.length() > 1000 ? reason.substring(0, 1000) : reason);
        }
        return headers;
    }

    /** Produces until Kafka acknowledges (backing off up to 30 s) or the service closes; false when closed. */
    private boolean produce(List<OutgoingRecord> records) {
        long pause = 200;
        while (!closed.get()) {
            try {
                sink.send(records).get(30, TimeUnit.SECONDS);
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (Exception e) {
                log.warn("could not produce a delivery's retry/dead-letter record ({}); retrying in {} ms", e.toString(), pause);
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                pause = Math.min(pause * 2, 30_000);
            }
        }
        return false;
    }

    private void count(Delivery delivery, AttemptOutcome outcome) {
        String name = switch (outcome) {
            case AttemptOutcome.Delivered d -> "delivered";
            case AttemptOutcome.Skipped s -> "skipped";
            case AttemptOutcome.Retry r when delivery.attempt() < settings.maxAttempts() -> "retried";
            case AttemptOutcome.Retry r -> "dead_lettered";
            case AttemptOutcome.Fail f -> "dead_lettered";
        };
        metrics.counter("ingest_plugin_deliveries_total", "app", delivery.app(), "outcome", name).increment();
    }

    @Override
    public void close() {
        closed.set(true);
    }
}
