package dev.ingest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SessionMixTest {
    private static final String TOKEN = "phc_test";

    private final List<MixEvent> events = new SessionMix(7).next(TOKEN, 60_000, 0);

    @Test
    void everyEventIsJsonWhoseDistinctIdAndNameMatchItsEnvelope() {
        assertThat(events).hasSize(60_000);
        for (MixEvent event : events.subList(0, 5_000)) {
            JsonNode data = Json.read(event.data());
            assertThat(data.get("event").asString()).isEqualTo(event.name());
            assertThat(data.get("uuid").asString()).isEqualTo(event.uuid());
            assertThat(data.get("properties").get("distinct_id").asString()).isEqualTo(event.distinctId());
            assertThat(data.get("properties").get("token").asString()).isEqualTo(TOKEN);
        }
    }

    @Test
    void sessionsAreTenToThirtyEventsOfOneBrowserWithoutInterleavingIntoOthers() {
        Map<String, Integer> perSession = new HashMap<>();
        Map<String, Integer> browserOfSession = new HashMap<>();
        for (MixEvent event : events) {
            JsonNode session = Json.read(event.data()).get("properties").get("$session_id");
            if (session != null) {
                perSession.merge(session.asString(), 1, Integer::sum);
                assertThat(browserOfSession.putIfAbsent(session.asString(), event.device()))
                        .isIn(null, event.device());
            }
        }
        // Sessions still open at the end of the stream may be shorter; every other one is 10-30 events.
        long complete = perSession.values().stream().filter(n -> n >= 10 && n <= 30).count();
        assertThat(complete).isGreaterThan(perSession.size() - SessionMix.CONCURRENT_SESSIONS - 1);
        assertThat(perSession.values()).allMatch(n -> n <= 30);
    }

    @Test
    void anIdentifyMergesTheDeviceIdOnceAndTheBrowsersLaterEventsCarryTheUserId() {
        Map<Integer, Integer> identifiedAt = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            MixEvent event = events.get(i);
            if (event.name().equals("$identify")) {
                assertThat(identifiedAt.put(event.device(), i)).as("browser %d identifies once", event.device()).isNull();
                assertThat(Json.read(event.data()).get("properties").get("$anon_distinct_id").asString())
                        .endsWith(String.format("%012d", event.device()));
                assertThat(event.distinctId()).isEqualTo("user-" + event.device());
            } else if (identifiedAt.containsKey(event.device())) {
                assertThat(event.distinctId()).isEqualTo("user-" + event.device());
            } else {
                assertThat(event.distinctId()).endsWith(String.format("%012d", event.device()));
            }
        }
        assertThat(identifiedAt).isNotEmpty();
        assertThat(identifiedAt.keySet()).allMatch(browser -> browser % 10 < 4);
    }

    @Test
    void popularityIsSkewedAndPopularBrowsersComeBackForSeveralSessions() {
        Map<Integer, Set<String>> sessionsOf = new HashMap<>();
        for (MixEvent event : events) {
            JsonNode session = Json.read(event.data()).get("properties").get("$session_id");
            if (session != null) {
                sessionsOf.computeIfAbsent(event.device(), b -> new HashSet<>()).add(session.asString());
            }
        }
        int top = sessionsOf.getOrDefault(0, Set.of()).size();
        int tail = sessionsOf.getOrDefault(SessionMix.BROWSERS - 1, Set.of()).size();
        assertThat(top).isGreaterThan(10);
        assertThat(top).isGreaterThan(tail * 5);
    }

    @Test
    void eachCompanyIsIdentifiedOnceAndOnlyCompanyMembersCarryGroups() {
        Set<String> identifiedCompanies = new HashSet<>();
        for (MixEvent event : events) {
            JsonNode properties = Json.read(event.data()).get("properties");
            if (event.name().equals("$groupidentify")) {
                assertThat(identifiedCompanies.add(properties.get("$group_key").asString())).isTrue();
            } else {
                assertThat(properties.has("$groups")).isEqualTo(event.device() % 3 == 0);
            }
        }
        assertThat(identifiedCompanies).hasSizeLessThanOrEqualTo(SessionMix.COMPANIES).isNotEmpty();
    }

    @Test
    void theSameSeedGivesTheSameStream() {
        List<MixEvent> again = new SessionMix(7).next(TOKEN, 1_000, 0);
        for (int i = 0; i < again.size(); i++) {
            assertThat(again.get(i).distinctId()).isEqualTo(events.get(i).distinctId());
            assertThat(again.get(i).name()).isEqualTo(events.get(i).name());
        }
    }
}
