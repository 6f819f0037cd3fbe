package dev.ingest.plugin.definition;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The definitions this process has written, looked up once per property of every event: by project, then by name,
 * with no allocation for a name already known (the lookup that makes a steady stream of known events cost nothing).
 * Bounded: past {@code capacity} names it forgets everything and starts again, which costs one more upsert per
 * definition seen afterwards, never a wrong row. Thread-safe.
 */
final class KnownDefinitions {
    /** An event definition: the hour bucket of its last write, and the event properties written with it. */
    static final class KnownEvent {
        volatile long bucket = Long.MIN_VALUE;
        final Set<String> properties = ConcurrentHashMap.newKeySet();
        private final long offset;

        KnownEvent(long teamId, String name) {
            this.offset = DefinitionRecorder.offset(teamId, name);
        }

        /** Whether the definition was written in the hour bucket of {@code epochSecond}. */
        boolean writtenInBucketOf(long epochSecond) {
            return bucket == DefinitionRecorder.bucket(offset, epochSecond);
        }

        void written(long epochSecond) {
            bucket = DefinitionRecorder.bucket(offset, epochSecond);
        }
    }

    private final int capacity;
    private final AtomicInteger size = new AtomicInteger();
    private final Map<Long, Map<String, KnownEvent>> events = new ConcurrentHashMap<>();
    private final Map<Long, Set<String>> personProperties = new ConcurrentHashMap<>();
    /** Keyed by project * 8 + group type index. */
    private final Map<Long, Set<String>> groupProperties = new ConcurrentHashMap<>();

    KnownDefinitions(int capacity) {
        this.capacity = capacity;
    }

    KnownEvent event(long teamId, String name) {
        Map<String, KnownEvent> team = events.get(teamId);
        return team == null ? null : team.get(name);
    }

    /** The person property names known for a project (empty when none): one lookup per event, not per property. */
    Set<String> personNames(long teamId) {
        Set<String> names = personProperties.get(teamId);
        return names == null ? Set.of() : names;
    }

    /** The group property names known for a project's group type (empty when none). */
    Set<String> groupNames(long teamId, int groupTypeIndex) {
        Set<String> names = groupProperties.get(teamId * 8 + groupTypeIndex);
        return names == null ? Set.of() : names;
    }

    void rememberEvent(long teamId, String name, long epochSecond) {
        eventOf(teamId, name).written(epochSecond);
    }

    void rememberEventProperty(long teamId, String event, String name) {
        if (eventOf(teamId, event).properties.add(name)) {
            grow();
        }
    }

    void rememberPerson(long teamId, String name) {
        if (personProperties.computeIfAbsent(teamId, team -> ConcurrentHashMap.newKeySet()).add(name)) {
            grow();
        }
    }

    void rememberGroup(long teamId, int groupTypeIndex, String name) {
        if (groupProperties.computeIfAbsent(teamId * 8 + groupTypeIndex, key -> ConcurrentHashMap.newKeySet()).add(name)) {
            grow();
        }
    }

    private KnownEvent eventOf(long teamId, String name) {
        KnownEvent known = events.computeIfAbsent(teamId, team -> new ConcurrentHashMap<>()).get(name);
        if (known != null) {
            return known;
        }
        grow();
        // Looked up again: growing past the capacity (here or on another thread) may have just cleared everything.
        return events.computeIfAbsent(teamId, team -> new ConcurrentHashMap<>())
                .computeIfAbsent(name, n -> new KnownEvent(teamId, name));
    }

    private void grow() {
        if (size.incrementAndGet() > capacity) {
            size.set(0);
            events.clear();
            personProperties.clear();
            groupProperties.clear();
        }
    }
}
