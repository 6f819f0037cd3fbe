package dev.ingest.capture;

import dev.ingest.capture.config.CaptureProperties;
import dev.ingest.capture.decode.CaptureBatch;
import dev.ingest.capture.decode.CaptureRequest;
import dev.ingest.capture.decode.DecodedPayload;
import dev.ingest.capture.decode.EventExtractor;
import dev.ingest.capture.decode.IncomingEvent;
import dev.ingest.capture.decode.PayloadDecoder;
import dev.ingest.capture.error.CaptureError;
import dev.ingest.capture.error.CaptureException;
import dev.ingest.capture.route.Destination;
import dev.ingest.capture.route.TopicRouter;
import dev.ingest.capture.token.TokenLookup;
import dev.ingest.capture.token.TokenRegistry;
import dev.ingest.capture.warning.CaptureWarnings;
import dev.ingest.common.event.CapturedEvent;
import dev.ingest.common.event.CapturedEventWriter;
import dev.ingest.common.json.Json;
import dev.ingest.common.kafka.OutgoingRecord;
import dev.ingest.common.kafka.RecordSink;
import dev.ingest.common.memory.MemoryBudget;
import dev.ingest.common.restriction.EventRestriction;
import dev.ingest.common.restriction.EventRestrictions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * One capture request from decoded bytes to acknowledged Kafka records. The answer is 200 only once Kafka has
 * acknowledged every event of the request; any failure to get there is a {@link CaptureException}.
 */
public final class CaptureService {
    /** The envelope, headers and producer record of one event, an upper estimate in bytes. */
    private static final long RECORD_OVERHEAD = 1024;
    /** A form body up to this size is decoded where it arrives, whatever its compression. */
    private static final int SMALL_FORM = 16 * 1024;

    private final PayloadDecoder decoder;
    private final EventExtractor extractor;
    private final TokenRegistry tokens;
    private final TopicRouter router;
    private final RecordSink sink;
    private final CaptureProperties properties;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final Timer kafkaSendLatency;
    private final Map<String, Counter> acceptedCounters = new ConcurrentHashMap<>();
    private final LargeRequestLane largeRequests;
    private final Supplier<EventRestrictions> restrictions;
    private final CaptureWarnings warnings;

    public CaptureService(PayloadDecoder decoder, EventExtractor extractor, TokenRegistry tokens, TopicRouter router,
            RecordSink sink, CaptureProperties properties, Clock clock, MeterRegistry metrics) {
        this(decoder, extractor, tokens, router, sink, properties, clock, metrics, () -> EventRestrictions.NONE, null);
    }

    /**
     * @param restrictions the event restrictions in force now (re-read in the background)
     * @param warnings where what capture drops inside an accepted request is reported; null for none (tests, tools)
     */
    public CaptureService(PayloadDecoder decoder, EventExtractor extractor, TokenRegistry tokens, TopicRouter router,
            RecordSink sink, CaptureProperties properties, Clock clock, MeterRegistry metrics,
            Supplier<EventRestrictions> restrictions, CaptureWarnings warnings) {
        this.restrictions = restrictions;
        this.warnings = warnings;
        this.decoder = decoder;
        this.extractor = extractor;
        this.tokens = tokens;
        this.router = router;
        this.sink = sink;
        this.properties = properties;
        this.clock = clock;
        this.metrics = metrics;
        this.largeRequests = new LargeRequestLane(properties.memory().largeRequests(),
                properties.memory().largeRequestWait(), metrics);
        this.kafkaSendLatency = Timer.builder("ingest_capture_kafka_send_seconds").publishPercentileHistogram()
                .description("Time from send to broker acknowledgement of a request's events").register(metrics);
    }

    /** {@link #capture(CaptureRequest, String, String, MemoryBudget.Lease)} with no memory budget (tests, tools). */
    public int capture(CaptureRequest request, String clientIp, String route) {
        try (MemoryBudget.Lease unbounded = new MemoryBudget(Long.MAX_VALUE).lease(Long.MAX_VALUE)) {
            return capture(request, clientIp, route, unbounded);
        }
    }

    /**
     * Returns the number of events written. Everything the request holds until Kafka answers (decoded text, events,
     * records) is charged to {@code lease} before it is allocated.
     */
    public int capture(CaptureRequest request, String clientIp, String route, MemoryBudget.Lease lease) {
        // Decoding is cheap for most bodies and runs here; a large body, or lz-string text (decoded character by
        // character), is decoded on the large-request lane, as is the parsing of anything that decodes to megabytes.
        CaptureBatch batch = decodesSlowly(request)
                ? largeRequests.run(() -> extract(decoder.decode(request, lease), request, lease, true))
                : extract(decoder.decode(request, lease), request, lease, false);
        if (batch.skipped() > 0) {
            metrics.counter("ingest_capture_events_rejected_total", "route", route, "cause", "empty_event_name")
                    .increment(batch.skipped());
        }
        TokenLookup lookup = tokens.lookup(batch.token());
        Long teamId = switch (lookup) {
            case TokenLookup.Known known -> known.teamId();
            case TokenLookup.Unknown unknown -> throw new CaptureException(CaptureError.UNKNOWN_API_KEY,
                    "Project API key invalid. You can find your project API key in PostHog project settings.");
            case TokenLookup.Unverified unverified -> null;
        };
        if (teamId != null) {
            for (int i = 0; i < batch.skipped(); i++) {
                warn(batch.token(), "missing_event_name", "", Map.of("message", "an event without a name was skipped"));
            }
        }
        String now = Instant.now(clock).toString();
        // One snapshot for the whole request: a refresh in between cannot apply half of a change to it.
        EventRestrictions snapshot = restrictions.get();
        EventRestrictions restricted = teamId != null && snapshot.any(batch.token()) ? snapshot : null;
        List<OutgoingRecord> messages = new ArrayList<>(batch.events().size());
        List<Destination.Lane> lanes = new ArrayList<>(batch.events().size());
        for (IncomingEvent event : batch.events()) {
            boolean forceOverflow = false;
            if (restricted != null) {
                EventRestriction.Facts facts = new EventRestriction.Facts(event.distinctId(), () -> sessionId(event),
                        event.event(), event.uuid());
                Optional<EventRestriction> drop = restricted.find(batch.token(), EventRestriction.Type.DROP_EVENT, facts);
                if (drop.isPresent()) {
                    dropByRestriction(batch.token(), route, drop.get(), event);
                    continue;
                }
                forceOverflow = restricted.find(batch.token(), EventRestriction.Type.FORCE_OVERFLOW, facts).isPresent();
            }
            // The record's value escapes the event's text once more (a few bytes on most characters), plus the envelope.
            lease.charge(2L * event.data().length + RECORD_OVERHEAD);
            CapturedEvent captured = new CapturedEvent(event.uuid(), event.distinctId(), clientIp, null,
                    now, batch.sentAt(), batch.token(), teamId, event.event(), event.cookieless() ? Boolean.TRUE : null,
                    batch.historicalMigration() ? Boolean.TRUE : null);
            byte[] value = CapturedEventWriter.write(captured, event.data());
            if (value.length > properties.limits().event().toBytes()) {
                if (teamId != null) {
                    Map<String, Object> details = new LinkedHashMap<>();
                    details.put("eventUuid", event.uuid());
                    details.put("event", event.event());
                    details.put("distinctId", event.distinctId());
                    details.put("sizeBytes", value.length);
                    details.put("limitBytes", properties.limits().event().toBytes());
                    warn(batch.token(), "message_size_too_large", "", details);
                }
                throw new CaptureException(CaptureError.PAYLOAD_TOO_LARGE, CaptureError.PAYLOAD_TOO_LARGE.code(),
                        "Event " + event.uuid() + " is " + value.length + " bytes, over the per-event limit of "
                                + properties.limits().event().toBytes() + " bytes", null);
            }
            Destination destination = router.route(batch.token(), captured.partitionKey(),
                    batch.historicalMigration() || stale(event), teamId != null, forceOverflow);
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("token", batch.token());
            headers.put("distinct_id", event.distinctId());
            headers.put("event", event.event());
            headers.put("uuid", event.uuid());
            headers.put("now", now);
            if (batch.historicalMigration()) {
                headers.put("historical_migration", "true");
            }
            messages.add(new OutgoingRecord(destination.topic(), destination.key(), value, headers));
            lanes.add(destination.lane());
        }
        if (messages.isEmpty()) {
            return 0;
        }
        awaitAcknowledgement(messages, route);
        for (Destination.Lane lane : lanes) {
            acceptedCounter(route, lane).increment();
        }
        return messages.size();
    }

    /** A restriction dropped the event: counted, and reported as one warning per restriction and window. */
    private void dropByRestriction(String token, String route, EventRestriction restriction, IncomingEvent event) {
        metrics.counter("ingest_capture_events_dropped_total", "route", route, "cause", "event_restriction_drop")
                .increment();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("restrictionId", restriction.id());
        details.put("restrictionType", restriction.type().stored());
        details.put("eventUuid", event.uuid());
        details.put("event", event.event());
        details.put("distinctId", event.distinctId());
        warn(token, "event_dropped_by_restriction", Long.toString(restriction.id()), details);
    }

    private void warn(String token, String type, String subject, Map<String, Object> details) {
        if (warnings != null) {
            warnings.record(token, type, subject, details);
        }
    }

    /** The event's {@code $session_id}, read from its text only when a restriction names session ids. */
    private static String sessionId(IncomingEvent event) {
        JsonNode session = Json.read(event.data(), JsonNode.class).path("properties").path("$session_id");
        return session.isString() ? session.asString() : null;
    }

    /**
     * An event older than {@code historical-older-than} (off when zero) goes to the historical lane, as PostHog's
     * capture reroutes old events ({@code historical_rerouting_threshold_days}), so a backfill does not hold up live
     * traffic.
     */
    private boolean stale(IncomingEvent event) {
        Duration olderThan = properties.historicalOlderThan();
        return !olderThan.isZero() && event.timestamp() != null
                && !event.timestamp().isAfter(Instant.now(clock).minus(olderThan));
    }

    /** A body of megabytes, lz-string text, or a form big enough to hold some (its compression is inside it). */
    private boolean decodesSlowly(CaptureRequest request) {
        String compression = request.query().get("compression");
        return request.body().length > properties.memory().largeRequest().toBytes()
                || (compression != null && compression.toLowerCase(Locale.ROOT).startsWith("lz"))
                || (request.contentType().startsWith("application/x-www-form-urlencoded")
                        && request.body().length > SMALL_FORM);
    }

    private CaptureBatch extract(DecodedPayload payload, CaptureRequest request, MemoryBudget.Lease lease, boolean onLane) {
        if (onLane || payload.json().length <= properties.memory().largeRequest().toBytes()) {
            return extractor.extract(payload, request, lease);
        }
        return largeRequests.run(() -> extractor.extract(payload, request, lease));
    }

    /** Counters are looked up once per (route, lane): a registry lookup per event is measurable under load. */
    private Counter acceptedCounter(String route, Destination.Lane lane) {
        return acceptedCounters.computeIfAbsent(route + "|" + lane.name(), key -> metrics.counter(
                "ingest_capture_events_accepted_total", "route", route, "lane", lane.name().toLowerCase(Locale.ROOT)));
    }

    private void awaitAcknowledgement(List<OutgoingRecord> messages, String route) {
        long started = System.nanoTime();
        try {
            sink.send(messages).get(properties.kafka().produceTimeout().toMillis(), TimeUnit.MILLISECONDS);
            kafkaSendLatency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            metrics.counter("ingest_capture_events_rejected_total", "route", route, "cause", "kafka_timeout")
                    .increment(messages.size());
            throw new CaptureException(CaptureError.UNAVAILABLE, CaptureError.UNAVAILABLE.code(),
                    "Unable to store event. Please try again. Kafka did not acknowledge within "
                            + properties.kafka().produceTimeout().toMillis() + " ms.", e);
        } catch (ExecutionException e) {
            metrics.counter("ingest_capture_events_rejected_total", "route", route, "cause", "kafka_error")
                    .increment(messages.size());
            throw new CaptureException(CaptureError.UNAVAILABLE, CaptureError.UNAVAILABLE.code(),
                    "Unable to store event. Please try again. " + e.getCause().getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaptureException(CaptureError.UNAVAILABLE, CaptureError.UNAVAILABLE.code(),
                    "Unable to store event. Please try again.", e);
        }
    }
}
