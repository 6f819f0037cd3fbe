package dev.ingest.common.restriction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.restriction.EventRestriction.Facts;
import dev.ingest.common.restriction.EventRestriction.Type;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** PostHog's matching: fields AND, values within a field OR, an empty list matches every event. */
class EventRestrictionsTest {
    private static EventRestriction restriction(long id, Type type, Set<String> distinctIds, Set<String> sessionIds,
            Set<String> events) {
        return new EventRestriction(id, 1, "phc_a", type, distinctIds, sessionIds, events, Set.of());
    }

    private static Facts event(String distinctId, String sessionId, String name) {
        return new Facts(distinctId, () -> sessionId, name, "0189a2b4-0000-7000-8000-000000000001");
    }

    @Test
    void everyNonEmptyListMustHoldTheEventsValue() {
        EventRestriction restriction = restriction(1, Type.DROP_EVENT, Set.of("u1", "u2"), Set.of(), Set.of("$pageview"));
        assertThat(restriction.matches(event("u2", null, "$pageview"))).isTrue();
        assertThat(restriction.matches(event("u3", null, "$pageview"))).isFalse();
        assertThat(restriction.matches(event("u1", null, "click"))).isFalse();
    }

    @Test
    void emptyListsMatchEveryEventOfTheProject() {
        EventRestrictions restrictions = new EventRestrictions(List.of(restriction(1, Type.DROP_EVENT, Set.of(), Set.of(),
                Set.of())));
        assertThat(restrictions.find("phc_a", Type.DROP_EVENT, event("anyone", null, "anything"))).isPresent();
        assertThat(restrictions.find("phc_b", Type.DROP_EVENT, event("anyone", null, "anything"))).isEmpty();
        assertThat(restrictions.any("phc_b")).isFalse();
    }

    @Test
    void anEventWithoutASessionDoesNotMatchASessionList() {
        EventRestriction restriction = restriction(1, Type.REDIRECT_TO_DLQ, Set.of(), Set.of("s1"), Set.of());
        assertThat(restriction.matches(event("u", "s1", "e"))).isTrue();
        assertThat(restriction.matches(event("u", null, "e"))).isFalse();
    }

    @Test
    void theSessionIdIsReadOnlyWhenARestrictionNamesSessions() {
        EventRestriction restriction = restriction(1, Type.DROP_EVENT, Set.of("u"), Set.of(), Set.of());
        Facts facts = new Facts("u", () -> {
            throw new AssertionError("read the session id");
        }, "e", "x");
        assertThat(restriction.matches(facts)).isTrue();
    }

    @Test
    void findGivesTheFirstRestrictionOfTheTypeAsked() {
        EventRestrictions restrictions = new EventRestrictions(List.of(
                restriction(1, Type.SKIP_PERSON_PROCESSING, Set.of(), Set.of(), Set.of()),
                restriction(2, Type.DROP_EVENT, Set.of("u9"), Set.of(), Set.of()),
                restriction(3, Type.DROP_EVENT, Set.of(), Set.of(), Set.of("e"))));
        assertThat(restrictions.find("phc_a", Type.DROP_EVENT, event("u1", null, "e"))).hasValueSatisfying(
                r -> assertThat(r.id()).isEqualTo(3));
        assertThat(restrictions.find("phc_a", Type.FORCE_OVERFLOW, event("u1", null, "e"))).isEmpty();
        assertThat(restrictions.size()).isEqualTo(3);
    }

    @Test
    void typesAreStoredUnderPostHogsNames() {
        assertThat(List.of(Type.values())).extracting(Type::stored).containsExactly("drop_event_from_ingestion",
                "force_overflow_from_ingestion", "skip_person_processing", "redirect_to_dlq");
        assertThat(Type.of("redirect_to_topic")).isEmpty();
    }
}
