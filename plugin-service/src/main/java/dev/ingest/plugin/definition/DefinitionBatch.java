package dev.ingest.plugin.definition;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The definitions a batch of processed events shows, each once (PostHog's property-defs updates from an event,
 * {@code into_updates} in {@code rust/property-defs-rs/src/types.rs}): the event's name; its properties, with the
 * events they appear on; the person properties of its {@code $set} / {@code $set_once}; for {@code $groupidentify}
 * only the group properties of {@code $group_set}. A property keeps the first value the batch saw, to type it.
 */
public final class DefinitionBatch {
    /** Property kinds, as PostHog stores them. */
    public static final int EVENT = 1;
    public static final int PERSON = 2;
    public static final int GROUP = 3;

    /** An event PostHog itself generates: no definitions. */
    static final String PLUGIN_METRICS_EVENT = "$$plugin_metrics";
    /** PostHog's limit on names (half of Django's 400-character field, in bytes). */
    static final int MAX_NAME_BYTES = 200;
    /** An event with more definitions than this is skipped whole (a client sending generated keys). */
    static final int MAX_DEFINITIONS_PER_EVENT = 10_000;
    private static final Set<String> SKIPPED_EVENT_PROPERTIES = Set.of("$set", "$set_once", "$unset", "$group_0",
            "$group_1", "$group_2", "$group_3", "$group_4", "$groups");

    public record EventKey(long teamId, String name) {}

    /** @param groupTypeIndex the group type of a group property, -1 for others */
    public record PropertyKey(long teamId, int type, int groupTypeIndex, String name) {}

    public record EventPropertyKey(long teamId, String event, String property) {}

    private final Set<EventKey> events = new LinkedHashSet<>();
    private final Map<PropertyKey, JsonNode> properties = new LinkedHashMap<>();
    private final Set<EventPropertyKey> eventProperties = new LinkedHashSet<>();
    /** Every (event, raw property name) added, pairs or not: what the recorder remembers once written. */
    private final Set<EventPropertyKey> seenEventProperties = new LinkedHashSet<>();
    private final KnownDefinitions known;
    private final Instant now;

    /** A batch that collects everything (nothing is known as written). */
    public DefinitionBatch() {
        this(new KnownDefinitions(Integer.MAX_VALUE), Instant.EPOCH);
    }

    /** A batch that leaves out what {@code known} says was written (event names: written in this hour bucket). */
    DefinitionBatch(KnownDefinitions known, Instant now) {
        this.known = known;
        this.now = now;
    }

    Instant now() {
        return now;
    }

    /**
     * Adds what one event shows.
     *
     * @param groupTypeIndex the index of a group type of the project, if it has one
     */
    public void add(long teamId, String eventName, ObjectNode eventProperties,
            BiFunction<Long, String, Optional<Integer>> groupTypeIndex) {
        if (PLUGIN_METRICS_EVENT.equals(eventName) || !fits(eventName) || size(eventProperties) > MAX_DEFINITIONS_PER_EVENT) {
            return;
        }
        String event = sanitize(eventName);
        KnownDefinitions.KnownEvent knownEvent = known.event(teamId, event);
        if (knownEvent == null || !knownEvent.writtenInBucketOf(now.getEpochSecond())) {
            events.add(new EventKey(teamId, event));
        }
        if ("$groupidentify".equals(eventName)) {
            JsonNode type = eventProperties.get("$group_type");
            if (type != null && type.isString() && eventProperties.get("$group_set") instanceof ObjectNode set) {
                groupTypeIndex.apply(teamId, type.asString())
                        .ifPresent(index -> addAll(teamId, event, set, GROUP, index));
            }
            return;
        }
        addEventProperties(teamId, event, knownEvent, eventProperties);
        if (eventProperties.get("$set") instanceof ObjectNode set) {
            addAll(teamId, event, set, PERSON, -1);
        }
        if (eventProperties.get("$set_once") instanceof ObjectNode setOnce) {
            addAll(teamId, event, setOnce, PERSON, -1);
        }
    }

    /** Nothing new: no event name to write, no property. */
    public boolean isEmpty() {
        return events.isEmpty() && properties.isEmpty() && eventProperties.isEmpty();
    }

    public Set<EventKey> events() {
        return events;
    }

    /** Each property and the first value the batch saw for it. */
    public Map<PropertyKey, JsonNode> properties() {
        return properties;
    }

    public Set<EventPropertyKey> eventProperties() {
        return eventProperties;
    }

    Set<EventPropertyKey> seenEventProperties() {
        return seenEventProperties;
    }

    /** The event's own properties: a definition each and a pair with the event; known pairs cost one lookup. */
    private void addEventProperties(long teamId, String event, KnownDefinitions.KnownEvent knownEvent, ObjectNode object) {
        for (var entry : object.properties()) {
            String key = entry.getKey();
            if (knownEvent != null && knownEvent.properties.contains(key) || SKIPPED_EVENT_PROPERTIES.contains(key)
                    || !fits(key)) {
                continue;
            }
            String name = sanitize(key);
            seenEventProperties.add(new EventPropertyKey(teamId, event, key));
            if (!key.startsWith("$feature/") && !key.startsWith("$feature_enrollment/")) {
                // Flags ride on nearly every event: their definitions are kept, their event pairs are not.
                eventProperties.add(new EventPropertyKey(teamId, event, name));
            }
            properties.putIfAbsent(new PropertyKey(teamId, EVENT, -1, name), entry.getValue());
        }
    }

    private void addAll(long teamId, String event, ObjectNode object, int type, int groupTypeIndex) {
        Set<String> knownNames = type == GROUP ? known.groupNames(teamId, groupTypeIndex) : known.personNames(teamId);
        for (var entry : object.properties()) {
            String key = entry.getKey();
            if (knownNames.contains(key) || !fits(key)) {
                continue;
            }
            properties.putIfAbsent(new PropertyKey(teamId, type, groupTypeIndex, sanitize(key)), entry.getValue());
        }
    }

    private static int size(ObjectNode properties) {
        int size = properties.size();
        for (String key : new String[] {"$set", "$set_once"}) {
            if (properties.get(key) instanceof ObjectNode nested) {
                size += nested.size();
            }
        }
        return size;
    }

    static boolean fits(String name) {
        if (name.length() > MAX_NAME_BYTES) {
            return false;
        }
        int bytes = 0;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return bytes <= MAX_NAME_BYTES;
    }

    /** PostgreSQL text cannot hold NUL. */
    private static String sanitize(String name) {
        return name.indexOf('\u0000') < 0 ? name : name.replace('\u0000', '\uFFFD');
    }
}
