package dev.ingest.common.restriction;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One restriction on a project's events (docs/posthog-compatibility.md#event-restrictions). It applies to an event
 * that matches every non-empty list: within a list any value matches, an empty list matches every event, and an event
 * without the field (no {@code $session_id}) does not match a non-empty list.
 */
public record EventRestriction(long id, long teamId, String token, Type type, Set<String> distinctIds,
        Set<String> sessionIds, Set<String> eventNames, Set<String> eventUuids) {

    /** PostHog's restriction types, by their stored names. */
    public enum Type {
        /** The event is dropped: by capture (still answered 200) or, if it got through, by plugin-service. */
        DROP_EVENT("drop_event_from_ingestion"),
        /** Capture sends the event to the overflow lane (not a historical one). */
        FORCE_OVERFLOW("force_overflow_from_ingestion"),
        /** plugin-service processes the event without persons ({@code $process_person_profile: false}). */
        SKIP_PERSON_PROCESSING("skip_person_processing"),
        /** plugin-service sends the message to its dead-letter topic, unprocessed. */
        REDIRECT_TO_DLQ("redirect_to_dlq");

        private final String stored;

        Type(String stored) {
            this.stored = stored;
        }

        public String stored() {
            return stored;
        }

        public static Optional<Type> of(String stored) {
            return Arrays.stream(values()).filter(type -> type.stored.equals(stored)).findFirst();
        }
    }

    /** What of an event a restriction can match on; the session id is read only when a restriction needs it. */
    public record Facts(String distinctId, Supplier<String> sessionId, String eventName, String uuid) {}

    public EventRestriction {
        Objects.requireNonNull(type, "type is null");
        distinctIds = Set.copyOf(distinctIds);
        sessionIds = Set.copyOf(sessionIds);
        eventNames = Set.copyOf(eventNames);
        eventUuids = Set.copyOf(eventUuids);
    }

    public boolean matches(Facts event) {
        return within(distinctIds, event.distinctId()) && within(eventNames, event.eventName())
                && within(eventUuids, event.uuid()) && (sessionIds.isEmpty() || within(sessionIds, event.sessionId().get()));
    }

    private static boolean within(Set<String> values, String value) {
        return values.isEmpty() || (value != null && values.contains(value));
    }
}
