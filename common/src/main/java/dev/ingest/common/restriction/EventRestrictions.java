package dev.ingest.common.restriction;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Every restriction, by project token: an immutable snapshot, replaced as a whole on each refresh. */
public final class EventRestrictions {
    public static final EventRestrictions NONE = new EventRestrictions(List.of());

    private final Map<String, List<EventRestriction>> byToken;

    public EventRestrictions(List<EventRestriction> restrictions) {
        this.byToken = restrictions.stream().collect(Collectors.groupingBy(EventRestriction::token,
                Collectors.collectingAndThen(Collectors.toList(), List::copyOf)));
    }

    /** The first restriction of {@code type} (lowest id) of the token's project that applies to the event. */
    public Optional<EventRestriction> find(String token, EventRestriction.Type type, EventRestriction.Facts event) {
        List<EventRestriction> restrictions = byToken.get(token);
        if (restrictions == null) {
            return Optional.empty();
        }
        for (EventRestriction restriction : restrictions) {
            if (restriction.type() == type && restriction.matches(event)) {
                return Optional.of(restriction);
            }
        }
        return Optional.empty();
    }

    /** Whether the token's project has any restriction at all (the common answer, no, costs one map lookup). */
    public boolean any(String token) {
        return byToken.containsKey(token);
    }

    public int size() {
        return byToken.values().stream().mapToInt(List::size).sum();
    }
}
