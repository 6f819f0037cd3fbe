package dev.ingest.plugin.definition;

import dev.ingest.plugin.definition.DefinitionBatch.EventKey;
import dev.ingest.plugin.definition.DefinitionBatch.EventPropertyKey;
import dev.ingest.plugin.definition.DefinitionBatch.PropertyKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes the definitions of processed events to PostgreSQL, each only when this process has not written it yet: a
 * steady stream of known events costs no query. A definition is written again only to move an event's
 * {@code last_seen_at}, at most once an hour (PostHog's floor; the hour starts at an offset per definition, so the
 * rollover is spread over the hour). The memory of what was written is bounded ({@code cacheSize} entries, least
 * recently seen forgotten first); forgetting costs one more upsert, never a wrong row. Thread-safe.
 */
public final class DefinitionRecorder {
    static final long LAST_SEEN_PERIOD_SECONDS = 3600;

    private final DefinitionRepository repository;
    private final Clock clock;
    /** What was written: a key, and for event keys the hour bucket it was written in. */
    private final Map<Object, Long> written;
    private final LongAdder writes = new LongAdder();

    public DefinitionRecorder(DefinitionRepository repository, int cacheSize, Clock clock) {
        this.repository = repository;
        this.clock = clock;
        this.written = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Object, Long> eldest) {
                return size() > cacheSize;
            }
        };
    }

    /** Definitions rows written so far (upserts sent; metrics and tests). */
    public long writes() {
        return writes.sum();
    }

    /** Writes what the batch shows that this process has not written (or, for events, not this hour). */
    public void record(DefinitionBatch batch) {
        if (batch.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<EventKey> events = new ArrayList<>();
        List<PropertyKey> properties = new ArrayList<>();
        List<EventPropertyKey> pairs = new ArrayList<>();
        synchronized (written) {
            for (EventKey event : batch.events()) {
                Long bucket = written.get(event);
                if (bucket == null || bucket != bucket(event, now)) {
                    events.add(event);
                }
            }
            for (PropertyKey property : batch.properties().keySet()) {
                if (written.get(property) == null) {
                    properties.add(property);
                }
            }
            for (EventPropertyKey pair : batch.eventProperties()) {
                if (written.get(pair) == null) {
                    pairs.add(pair);
                }
            }
        }
        if (events.isEmpty() && properties.isEmpty() && pairs.isEmpty()) {
            return;
        }
        List<DefinitionRepository.PropertyRow> propertyRows = new ArrayList<>(properties.size());
        for (PropertyKey key : properties) {
            String type = PropertyTypes.detect(key.name(), batch.properties().get(key), now);
            propertyRows.add(new DefinitionRepository.PropertyRow(key, type, PropertyTypes.NUMERIC.equals(type)));
        }
        repository.write(events, propertyRows, pairs, now);
        writes.add(events.size() + propertyRows.size() + pairs.size());
        synchronized (written) {
            events.forEach(event -> written.put(event, bucket(event, now)));
            properties.forEach(property -> written.put(property, 0L));
            pairs.forEach(pair -> written.put(pair, 0L));
        }
    }

    /** The hour an event definition is in, counted from an offset of its own (stable across processes). */
    static long bucket(EventKey event, Instant now) {
        long offset = Long.remainderUnsigned(fnv(event.teamId(), event.name()), LAST_SEEN_PERIOD_SECONDS);
        return Math.floorDiv(now.getEpochSecond() + offset, LAST_SEEN_PERIOD_SECONDS);
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
