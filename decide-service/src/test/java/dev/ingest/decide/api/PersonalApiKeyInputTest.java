package dev.ingest.decide.api;

import static dev.ingest.decide.api.ApiExceptions.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import dev.ingest.decide.auth.ApiKeyScope;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class PersonalApiKeyInputTest {

    private static ObjectNode body(String json) {
        return (ObjectNode) Json.read(json);
    }

    @Test
    void readsLabelAndScope() {
        assertThat(PersonalApiKeyInput.forCreate(body("{\"label\":\"ci\",\"scoped_teams\":[3,1,3]}")))
                .isEqualTo(new PersonalApiKeyInput("ci", Set.of(1L, 3L)));
    }

    @Test
    void anEmptyOrMissingScopeMeansEveryProjectAsInPostHog() {
        assertThat(PersonalApiKeyInput.forCreate(body("{\"label\":\"a\"}")).scopedTeams()).isNull();
        assertThat(PersonalApiKeyInput.forCreate(body("{\"label\":\"a\",\"scoped_teams\":null}")).scopedTeams()).isNull();
        assertThat(PersonalApiKeyInput.forCreate(body("{\"label\":\"a\",\"scoped_teams\":[]}")).scopedTeams()).isNull();
    }

    @Test
    void refusesBadLabelsAndScopes() {
        assertInvalid(() -> PersonalApiKeyInput.forCreate(body("{}")), "label");
        assertInvalid(() -> PersonalApiKeyInput.forCreate(body("{\"label\":\"\"}")), "label");
        assertInvalid(() -> PersonalApiKeyInput.forCreate(body("{\"label\":\"" + "l".repeat(41) + "\"}")), "label");
        assertInvalid(() -> PersonalApiKeyInput.forCreate(body("{\"label\":\"a\",\"scoped_teams\":5}")), "scoped_teams");
        assertInvalid(() -> PersonalApiKeyInput.forCreate(body("{\"label\":\"a\",\"scoped_teams\":[\"5\"]}")),
                "scoped_teams");
        assertInvalid(() -> PersonalApiKeyInput.forCreate(body("{\"label\":\"a\",\"scoped_teams\":[0]}")),
                "scoped_teams");
    }

    @Test
    void aKeyNeverGrantsMoreThanItsCreator() {
        ApiKeyScope everything = new ApiKeyScope(0, null);
        ApiKeyScope oneAndTwo = new ApiKeyScope(9, Set.of(1L, 2L));

        assertThat(PersonalApiKeyController.within(null, everything)).isTrue();
        assertThat(PersonalApiKeyController.within(Set.of(7L), everything)).isTrue();
        assertThat(PersonalApiKeyController.within(Set.of(2L), oneAndTwo)).isTrue();
        assertThat(PersonalApiKeyController.within(Set.of(1L, 2L), oneAndTwo)).isTrue();
        assertThat(PersonalApiKeyController.within(Set.of(1L, 3L), oneAndTwo)).isFalse();
        assertThat(PersonalApiKeyController.within(null, oneAndTwo)).isFalse();
        assertThat(PersonalApiKeyController.within(Set.of(), oneAndTwo)).isFalse();
    }
}
