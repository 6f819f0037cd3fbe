package dev.ingest.decide.api;

import static dev.ingest.decide.api.ApiExceptions.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import dev.ingest.decide.store.CohortDraft;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class CohortInputTest {

    private static ObjectNode body(String json) {
        return (ObjectNode) Json.read(json);
    }

    @Test
    void readsADynamicCohortAndTheCohortsItRefersTo() {
        CohortInput.Validated validated = CohortInput.forCreate(body("""
                {"name":"Paying","description":"d","filters":{"properties":{"type":"OR","values":[
                  {"type":"AND","values":[{"key":"plan","value":"pro","operator":"exact","type":"person"}]},
                  {"key":"id","value":12,"type":"cohort","negation":true}]}}}"""));

        assertThat(validated.draft().name()).isEqualTo("Paying");
        assertThat(validated.draft().description()).isEqualTo("d");
        assertThat(validated.draft().isStatic()).isFalse();
        assertThat(validated.cohortIds()).containsExactly(12L);
    }

    @Test
    void aDynamicCohortNeedsAPropertyGroup() {
        assertInvalid(() -> CohortInput.forCreate(body("{\"name\":\"x\"}")), "filters");
        assertInvalid(() -> CohortInput.forCreate(body("{\"filters\":{}}")), "filters");
        assertInvalid(() -> CohortInput.forCreate(body("{\"filters\":{\"properties\":[]}}")), "filters");
        assertInvalid(() -> CohortInput.forCreate(body("{\"filters\":{\"properties\":{\"type\":\"NAND\",\"values\":[]}}}")),
                "filters").hasMessageContaining("AND");
        assertInvalid(() -> CohortInput.forCreate(body("{\"filters\":{\"properties\":{\"type\":\"AND\","
                + "\"values\":[{\"value\":1}]}}}")), "filters");
        assertInvalid(() -> CohortInput.forCreate(body("{\"filters\":\"x\"}")), "filters");
    }

    @Test
    void aStaticCohortMayHaveNoFilters() {
        CohortDraft draft = CohortInput.forCreate(body("{\"name\":\"Uploaded\",\"is_static\":true}")).draft();

        assertThat(draft.isStatic()).isTrue();
        assertThat(draft.filters()).isEqualTo(Json.object());
    }

    @Test
    void typedFieldsNameThemselves() {
        assertInvalid(() -> CohortInput.forCreate(body("{\"is_static\":\"often\"}")), "is_static");
        assertInvalid(() -> CohortInput.forCreate(body("{\"is_static\":true,\"name\":7}")), "name");
        assertInvalid(() -> CohortInput.forCreate(body("{\"is_static\":true,\"description\":{}}")), "description");
    }

    @Test
    void patchKeepsACohortStaticOrDynamic() {
        CohortDraft current = CohortInput.forCreate(body("{\"is_static\":true}")).draft();

        assertInvalid(() -> CohortInput.forPatch(current, body("{\"is_static\":false}")), "is_static");
        CohortDraft renamed = CohortInput.forPatch(current, body("{\"name\":\"n\",\"is_static\":true}")).draft();
        assertThat(renamed).isEqualTo(new CohortDraft("n", "", current.filters(), true, false));
    }
}
