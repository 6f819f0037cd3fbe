package dev.ingest.decide.api;

import static dev.ingest.decide.api.ApiExceptions.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class ProjectInputTest {

    private static ObjectNode body(String json) {
        return (ObjectNode) Json.read(json);
    }

    @Test
    void createNeedsANameAndDefaultsAnonymizeIpsToFalse() {
        assertThat(ProjectInput.forCreate(body("{\"name\":\"Shop\"}")))
                .isEqualTo(new ProjectInput("Shop", false, null));
        assertThat(ProjectInput.forCreate(body("{\"name\":\"Shop\",\"anonymize_ips\":true}")).anonymizeIps()).isTrue();
        assertInvalid(() -> ProjectInput.forCreate(body("{}")), "name");
        assertInvalid(() -> ProjectInput.forCreate(body("{\"name\":\"  \"}")), "name");
        assertInvalid(() -> ProjectInput.forCreate(body("{\"name\":\"" + "n".repeat(201) + "\"}")), "name");
        assertInvalid(() -> ProjectInput.forCreate(body("{\"name\":\"n\",\"anonymize_ips\":\"sometimes\"}")),
                "anonymize_ips");
    }

    @Test
    void patchLeavesWhatItDoesNotSet() {
        assertThat(ProjectInput.forPatch(body("{\"person_processing_opt_out\":true}")))
                .isEqualTo(new ProjectInput(null, null, true));
        assertInvalid(() -> ProjectInput.forPatch(body("{\"name\":null}")), "name");
        assertInvalid(() -> ProjectInput.forPatch(body("{\"person_processing_opt_out\":null}")),
                "person_processing_opt_out");
    }

    @Test
    void dropEventsOlderThanSecondsIsNullZeroOrWholeSeconds() {
        assertThat(ProjectInput.forPatch(body("{}")).dropEventsOlderThanSeconds()).as("unchanged").isNull();
        assertThat(ProjectInput.forPatch(body("{\"drop_events_older_than_seconds\":86400}")).dropEventsOlderThanSeconds())
                .contains(86400);
        assertThat(ProjectInput.forPatch(body("{\"drop_events_older_than_seconds\":null}")).dropEventsOlderThanSeconds())
                .isEmpty();
        assertThat(ProjectInput.forPatch(body("{\"drop_events_older_than_seconds\":0}")).dropEventsOlderThanSeconds())
                .as("0 turns it off, as in PostHog").isEmpty();
        for (String bad : new String[] {"-1", "1.5", "\"60\"", "true", "999999999999"}) {
            assertInvalid(() -> ProjectInput.forPatch(body("{\"drop_events_older_than_seconds\":" + bad + "}")),
                    "drop_events_older_than_seconds");
        }
    }
}
