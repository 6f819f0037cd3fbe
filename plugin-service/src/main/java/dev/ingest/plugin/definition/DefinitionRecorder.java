package dev.ingest.plugin.definition;

import dev.ingest.plugin.definition.DefinitionBatch.EventKey;
import dev.ingest.plugin.definition.DefinitionBatch.EventPropertyKey;
import dev.ingest.plugin.definition.DefinitionBatch.PropertyKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import tools.jackson.databind.JsonNode;

/**
 * Writes the definitions of processed events to PostgreSQL, each only when this process has not written it yet: a
 * steady stream of known events costs no query, and a known property costs one lookup. A definition is written again
 * only to move an event's {@code last_seen_at}, at most once an hour (PostHog's floor; the hour starts at an offset
 * per definition, so the rollover is spread over the hour). What was written is remembered up to {@code cacheSize}
 * names ({@link KnownDefinitions}). Thread-safe.
 */
public final class DefinitionRecorder {
    static final long LAST_SEEN_PERIOD_SECONDS = 3600;

    private final DefinitionRepository repository;
    private final Clock clock;
    private final KnownDefinitions known;
    private final LongAdder writes = new LongAdder();

    public DefinitionRecorder(DefinitionRepository repository, int cacheSize, Clock clock) {
        this.repository = repository;
        this.clock = clock;
        this.known = new KnownDefinitions(cacheSize);
    }

    /** A batch to collect events into: it leaves out what this recorder has written. */
    public DefinitionBatch newBatch() {
        return new DefinitionBatch(known, clock.instant());
    }

    /** Definitions rows written so far (upserts sent; metrics and tests). */
    public long writes() {
        return writes.sum();
    }

    /** Writes what the batch collected, then remembers it. */
    public void record(DefinitionBatch batch) {
        if (batch.isEmpty()) {
            return;
        }
        Instant now = batch.now();
        List<EventKey> events = List.copyOf(batch.events());
        List<EventPropertyKey> pairs = List.copyOf(batch.eventProperties());
        List<DefinitionRepository.PropertyRow> properties = new ArrayList<>(batch.properties().size());
        for (Map.Entry<PropertyKey, JsonNode> entry : batch.properties().entrySet()) {
            String type = PropertyTypes.detect(entry.getKey().name(), entry.getValue(), now);
            properties.add(new DefinitionRepository.PropertyRow(entry.getKey(), type, PropertyTypes.NUMERIC.equals(type)));
        }
        repository.write(events, properties, pairs, now);
        writes.add(events.size() + properties.size() + pairs.size());
        events.forEach(event -> known.rememberEvent(event.teamId(), event.name(), now.getEpochSecond()));
        batch.seenEventProperties().forEach(seen -> known.rememberEventProperty(seen.teamId(), seen.event(), seen.property()));
        for (PropertyKey key : batch.properties().keySet()) {
            if (key.type() == DefinitionBatch.PERSON) {
                known.rememberPerson(key.teamId(), key.name());
            } else if (key.type() == DefinitionBatch.GROUP) {
                known.rememberGroup(key.teamId(), key.groupTypeIndex(), key.name());
            }
        }
    }

    /** The offset of an event definition's hours: its own, stable across processes (PostHog's jitter). */
    static long offset(long teamId, String name) {
        return Long.remainderUnsigned(fnv(teamId, name), LAST_SEEN_PERIOD_SECONDS);
    }

    /** The hour bucket of {@code epochSecond} for a definition whose hours start at {@code offset}. */
    static long bucket(long offset, long epochSecond) {
        return Math.floorDiv(epochSecond + offset, LAST_SEEN_PERIOD_SECONDS);
    }

    private static long fnv(long teamId, String name) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < 8; i++) {
            hash ^= (teamId >>> (8 * i)) & 0xff;
            hash *= 0x100000001b3L;
        }
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        return hash;
    }
}
