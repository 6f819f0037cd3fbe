package dev.ingest.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class IdentifyStormTest {
    private final IdentifyStorm storm = new IdentifyStorm(20, 7);

    @Test
    void everyIdentifyJoinsAUserWithOneOfItsOwnAnonymousIds() {
        List<JsonNode> identifies = storm.storm().stream().map(e -> Json.read(e.json()))
                .filter(e -> e.get("event").asString().equals("$identify")).toList();
        assertThat(identifies).hasSize(20 * IdentifyStorm.ANONYMOUS_IDS);
        for (JsonNode identify : identifies) {
            String user = identify.get("distinct_id").asString();
            String anonymous = identify.get("properties").get("$anon_distinct_id").asString();
            assertThat(anonymous).startsWith(user.replace("storm-user-", "storm-anon-") + "-");
        }
    }

    @Test
    void theStormInterleavesEventsKeyedByTheUserAndByItsAnonymousIds() {
        // Within the first tenth of the shuffled storm, both kinds of key occur: the two sides arrive together.
        List<IdentifyStorm.StormEvent> head = storm.storm().subList(0, storm.storm().size() / 10);
        assertThat(head).anyMatch(e -> e.distinctId().startsWith("storm-user-"));
        assertThat(head).anyMatch(e -> e.distinctId().startsWith("storm-anon-"));
        assertThat(storm.storm()).hasSize(20 * IdentifyStorm.ANONYMOUS_IDS * 3);
    }

    @Test
    void theExpectedOutcomeIsOnePersonPerUserWithAllItsIdsAndEveryPropertyOnce() {
        assertThat(storm.expectedDistinctIds()).hasSize(20);
        Set<String> all = new HashSet<>();
        storm.expectedDistinctIds().values().forEach(ids -> {
            assertThat(ids).hasSize(1 + IdentifyStorm.ANONYMOUS_IDS);
            assertThat(all.addAll(ids)).as("no distinct id in two persons").isTrue();
        });
        // Every property key is set by exactly one event of a user: the outcome cannot depend on order.
        for (String key : IdentifyStorm.expectedProperties().keySet()) {
            long setters = storm.storm().stream().filter(e -> e.json().contains("\"" + key + "\"")
                    && e.distinctId().matches("storm-(user|anon)-0(-.*)?")).count();
            assertThat(setters).as(key).isEqualTo(1);
        }
        assertThat(storm.browsing()).hasSize(20 * IdentifyStorm.ANONYMOUS_IDS);
    }

    @Test
    void uuidsAreUnique() {
        Set<String> uuids = new HashSet<>();
        storm.browsing().forEach(e -> assertThat(uuids.add(e.uuid())).isTrue());
        storm.storm().forEach(e -> assertThat(uuids.add(e.uuid())).isTrue());
    }
}
