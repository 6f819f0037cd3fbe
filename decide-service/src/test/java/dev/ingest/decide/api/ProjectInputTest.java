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
}
