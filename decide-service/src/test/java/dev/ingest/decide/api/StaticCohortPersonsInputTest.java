package dev.ingest.decide.api;

import static dev.ingest.decide.api.ApiExceptions.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class StaticCohortPersonsInputTest {

    private static ObjectNode body(String json) {
        return (ObjectNode) Json.read(json);
    }

    @Test
    void readsDistinctIdsOnceEachInOrder() {
        assertThat(StaticCohortPersonsInput.distinctIds(body("{\"distinct_ids\":[\"b\",\"a\",\"b\",42]}")))
                .containsExactly("b", "a", "42");
    }

    @Test
    void refusesAnythingButANonEmptyListOfIds() {
        assertInvalid(() -> StaticCohortPersonsInput.distinctIds(body("{}")), "distinct_ids");
        assertInvalid(() -> StaticCohortPersonsInput.distinctIds(body("{\"distinct_ids\":[]}")), "distinct_ids");
        assertInvalid(() -> StaticCohortPersonsInput.distinctIds(body("{\"distinct_ids\":\"a\"}")), "distinct_ids");
        assertInvalid(() -> StaticCohortPersonsInput.distinctIds(body("{\"distinct_ids\":[{}]}")), "distinct_ids");
        assertInvalid(() -> StaticCohortPersonsInput.distinctIds(body("{\"distinct_ids\":[\" \"]}")), "distinct_ids");
    }
}
