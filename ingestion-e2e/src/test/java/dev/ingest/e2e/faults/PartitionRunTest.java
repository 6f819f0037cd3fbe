package dev.ingest.e2e.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class PartitionRunTest {
    @Test
    void everyStepSetsEachUsersStepAndEveryFifthAddsAnAnonymousIdAfterTheSet() {
        List<JsonNode> plain = PartitionRun.step(4).stream().map(Json::read).toList();
        List<JsonNode> identifying = PartitionRun.step(5).stream().map(Json::read).toList();

        assertThat(plain).hasSize(PartitionRun.USERS).allSatisfy(event -> {
            assertThat(event.get("event").asString()).isEqualTo("$set");
            assertThat(event.at("/properties/$set/step").asInt()).isEqualTo(4);
        });
        assertThat(identifying).hasSize(2 * PartitionRun.USERS);
        JsonNode identify = identifying.get(PartitionRun.USERS + 7);
        assertThat(identify.get("event").asString()).isEqualTo("$identify");
        assertThat(identify.get("distinct_id").asString()).isEqualTo(PartitionRun.user(7));
        assertThat(identify.at("/properties/$anon_distinct_id").asString()).isEqualTo(PartitionRun.anonymous(7, 5));
    }

    @Test
    void eventsUpToAStepCountsEverySetAndIdentify() {
        long counted = IntStream.rangeClosed(1, 12).mapToLong(k -> PartitionRun.step(k).size()).sum();

        assertThat(PartitionRun.eventsUpTo(12)).isEqualTo(counted).isEqualTo(40L * 14);
    }

    @Test
    void everyEventHasItsOwnUuid() {
        List<String> uuids = PartitionRun.step(10).stream().map(Json::read).map(e -> e.get("uuid").asString()).toList();

        assertThat(uuids).doesNotHaveDuplicates();
    }
}
