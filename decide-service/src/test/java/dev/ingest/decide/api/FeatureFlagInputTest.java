package dev.ingest.decide.api;

import static dev.ingest.decide.api.ApiExceptions.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import dev.ingest.decide.store.FeatureFlagDraft;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class FeatureFlagInputTest {

    private static ObjectNode body(String json) {
        return (ObjectNode) Json.read(json);
    }

    private static FeatureFlagInput.Validated create(String json) {
        return FeatureFlagInput.forCreate(body(json));
    }

    private static String filters(String filters) {
        return "{\"key\":\"f\",\"filters\":" + filters + "}";
    }

    @Test
    void createDefaultsToAnActiveFlagWithoutConditions() {
        FeatureFlagDraft draft = create("{\"key\":\"beta-Feature_1\"}").draft();

        assertThat(draft.key()).isEqualTo("beta-Feature_1");
        assertThat(draft.name()).isEmpty();
        assertThat(draft.active()).isTrue();
        assertThat(draft.deleted()).isFalse();
        assertThat(draft.ensureExperienceContinuity()).isFalse();
        assertThat(draft.filters()).isEqualTo(Json.read("{\"groups\":[]}"));
    }

    @Test
    void acceptsPostHogsFullFlagJson() {
        String json = """
                {"key":"checkout","name":"New checkout","active":false,"ensure_experience_continuity":true,
                 "filters":{"groups":[{"properties":[{"key":"email","value":"@x.com","operator":"icontains",
                                                      "type":"person"}],"rollout_percentage":50,"variant":null},
                                      {"properties":[],"rollout_percentage":"12.5","variant":"test"},
                                      {"properties":[{"key":"id","value":7,"type":"cohort"}]}],
                            "multivariate":{"variants":[{"key":"control","name":"Control","rollout_percentage":50},
                                                        {"key":"test","rollout_percentage":50}]},
                            "payloads":{"true":"{\\"a\\":1}","control":"{\\"b\\":2}"},
                            "aggregation_group_type_index":null,"super_groups":[],"holdout_groups":[]}}""";

        FeatureFlagInput.Validated validated = create(json);

        assertThat(validated.draft().filters()).isEqualTo(Json.read(json).get("filters"));
        assertThat(validated.draft().active()).isFalse();
        assertThat(validated.draft().ensureExperienceContinuity()).isTrue();
        assertThat(validated.cohortIds()).containsExactly(7L);
    }

    @Test
    void keyIsRequiredAndLimitedToPostHogsCharacters() {
        assertInvalid(() -> create("{}"), "key").hasMessage("This field is required.");
        assertInvalid(() -> create("{\"key\":null}"), "key");
        assertInvalid(() -> create("{\"key\":\"\"}"), "key");
        assertInvalid(() -> create("{\"key\":\"has space\"}"), "key").hasMessageContaining("Only letters");
        assertInvalid(() -> create("{\"key\":\"x'; DROP TABLE feature_flag; --\"}"), "key");
        assertInvalid(() -> create("{\"key\":12}"), "key");
        assertInvalid(() -> create("{\"key\":\"" + "k".repeat(401) + "\"}"), "key");
    }

    @Test
    void typedFieldsNameThemselves() {
        assertInvalid(() -> create("{\"key\":\"f\",\"active\":\"maybe\"}"), "active");
        assertInvalid(() -> create("{\"key\":\"f\",\"name\":[1]}"), "name");
        assertInvalid(() -> create("{\"key\":\"f\",\"ensure_experience_continuity\":null}"),
                "ensure_experience_continuity");
        assertInvalid(() -> create("{\"key\":\"f\",\"filters\":[]}"), "filters");
        assertInvalid(() -> create("{\"key\":\"f\",\"filters\":null}"), "filters");
    }

    @Test
    void rolloutPercentageMustBeBetweenZeroAndHundred() {
        assertInvalid(() -> create(filters("{\"groups\":[{\"rollout_percentage\":101}]}")), "filters")
                .hasMessageContaining("rollout_percentage");
        assertInvalid(() -> create(filters("{\"groups\":[{\"rollout_percentage\":-1}]}")), "filters");
        assertInvalid(() -> create(filters("{\"groups\":[{\"rollout_percentage\":\"half\"}]}")), "filters");
        assertInvalid(() -> create(filters("{\"groups\":[{\"rollout_percentage\":true}]}")), "filters");
        assertThat(create(filters("{\"groups\":[{\"rollout_percentage\":0},{\"rollout_percentage\":100},"
                + "{\"rollout_percentage\":33.3}]}"))).isNotNull();
    }

    @Test
    void variantPercentagesMustSumToHundred() {
        assertInvalid(() -> create(filters("{\"multivariate\":{\"variants\":[{\"key\":\"a\",\"rollout_percentage\":50},"
                + "{\"key\":\"b\",\"rollout_percentage\":40}]}}")), "filters").hasMessageContaining("sum to 100");
        assertInvalid(() -> create(filters("{\"multivariate\":{\"variants\":[]}}")), "filters");
        assertInvalid(() -> create(filters("{\"multivariate\":{\"variants\":[{\"key\":\"a\"}]}}")), "filters");
        assertThat(create(filters("{\"multivariate\":{\"variants\":[{\"key\":\"a\",\"rollout_percentage\":33.3},"
                + "{\"key\":\"b\",\"rollout_percentage\":33.3},{\"key\":\"c\",\"rollout_percentage\":33.4}]}}")))
                .isNotNull();
    }

    @Test
    void variantKeysMustBeUnique() {
        assertInvalid(() -> create(filters("{\"multivariate\":{\"variants\":[{\"key\":\"a\",\"rollout_percentage\":50},"
                + "{\"key\":\"a\",\"rollout_percentage\":50}]}}")), "filters").hasMessageContaining("unique");
    }

    @Test
    void payloadKeysMustBeTrueOrAVariantKey() {
        assertInvalid(() -> create(filters("{\"payloads\":{\"control\":\"1\"}}")), "filters")
                .hasMessageContaining("Payload keys");
        assertInvalid(() -> create(filters("{\"multivariate\":{\"variants\":[{\"key\":\"a\",\"rollout_percentage\":100}]},"
                + "\"payloads\":{\"b\":\"1\"}}")), "filters");
        assertInvalid(() -> create(filters("{\"payloads\":[\"1\"]}")), "filters");
        assertThat(create(filters("{\"payloads\":{\"true\":\"{\\\"a\\\":1}\"}}"))).isNotNull();
        assertThat(create(filters("{\"multivariate\":{\"variants\":[{\"key\":\"a\",\"rollout_percentage\":100}]},"
                + "\"payloads\":{\"a\":{\"x\":1},\"true\":null}}"))).isNotNull();
    }

    @Test
    void aPayloadIsAStringHoldingJsonAndAnyOtherValueIsStoredAsItsJsonText() {
        for (String notJson : new String[] {"notjson", "{broken", "1 2", "", "'single'"}) {
            assertInvalid(() -> create(filters("{\"payloads\":{\"true\":" + Json.write(Json.MAPPER.getNodeFactory()
                    .stringNode(notJson)) + "}}")), "filters.payloads.true").hasMessageContaining("not valid JSON");
        }
        FeatureFlagDraft stored = create(filters("{\"multivariate\":{\"variants\":[{\"key\":\"a\",\"rollout_percentage\":50},"
                + "{\"key\":\"b\",\"rollout_percentage\":50}]},\"payloads\":{\"a\":{\"x\": [1, 2]},\"b\":42,"
                + "\"true\":\"\\\"hello\\\"\"}}")).draft();
        assertThat(stored.filters().get("payloads")).isEqualTo(Json.read(
                "{\"a\":\"{\\\"x\\\":[1,2]}\",\"b\":\"42\",\"true\":\"\\\"hello\\\"\"}"));
        assertThat(create(filters("{\"payloads\":{\"true\":\" [1, {\\\"a\\\": null}] \"}}")).draft().filters()
                .get("payloads").get("true").stringValue()).isEqualTo(" [1, {\"a\": null}] ");
    }

    @Test
    void evaluationRuntimeAndEnvironmentsAreValidated() {
        FeatureFlagDraft draft = create("{\"key\":\"f\",\"evaluation_runtime\":\"Server\","
                + "\"evaluation_contexts\":[\"production\",\"web\",\"web\"]}").draft();
        assertThat(draft.evaluationRuntime()).isEqualTo("server");
        assertThat(draft.evaluationContexts()).containsExactly("production", "web");
        assertThat(create("{\"key\":\"f\",\"evaluation_tags\":[\"app\"]}").draft().evaluationContexts())
                .containsExactly("app");
        assertThat(create("{\"key\":\"f\"}").draft().evaluationRuntime()).isEqualTo("all");
        assertInvalid(() -> create("{\"key\":\"f\",\"evaluation_runtime\":\"edge\"}"), "evaluation_runtime");
        assertInvalid(() -> create("{\"key\":\"f\",\"evaluation_contexts\":\"web\"}"), "evaluation_contexts");
        assertInvalid(() -> create("{\"key\":\"f\",\"evaluation_contexts\":[1]}"), "evaluation_contexts");
        assertThat(FeatureFlagInput.forPatch(draft, body("{\"name\":\"n\"}")).draft().evaluationContexts())
                .containsExactly("production", "web");
    }

    @Test
    void flagDependenciesNameAFlagIdWithFlagEvaluatesTo() {
        FeatureFlagInput.Validated validated = create(filters("{\"groups\":[{\"properties\":[{\"key\":\"12\","
                + "\"type\":\"flag\",\"operator\":\"flag_evaluates_to\",\"value\":true},{\"key\":13,\"type\":\"flag\","
                + "\"operator\":\"flag_evaluates_to\",\"value\":\"control\"}]}]}"));
        assertThat(validated.flagIds()).containsExactlyInAnyOrder(12L, 13L);
        assertInvalid(() -> create(filters("{\"groups\":[{\"properties\":[{\"key\":\"my-flag\",\"type\":\"flag\","
                + "\"operator\":\"flag_evaluates_to\",\"value\":true}]}]}")), "filters").hasMessageContaining("id");
        assertInvalid(() -> create(filters("{\"groups\":[{\"properties\":[{\"key\":\"12\",\"type\":\"flag\","
                + "\"operator\":\"exact\",\"value\":true}]}]}")), "filters").hasMessageContaining("flag_evaluates_to");
        assertInvalid(() -> create(filters("{\"groups\":[{\"properties\":[{\"key\":\"12\",\"type\":\"flag\","
                + "\"operator\":\"flag_evaluates_to\",\"value\":3}]}]}")), "filters").hasMessageContaining("value");
    }

    @Test
    void conditionVariantOverrideMustBeAVariantKey() {
        assertInvalid(() -> create(filters("{\"groups\":[{\"variant\":\"test\"}]}")), "filters")
                .hasMessageContaining("variant override");
        assertInvalid(() -> create(filters("{\"multivariate\":{\"variants\":[{\"key\":\"a\",\"rollout_percentage\":100}]},"
                + "\"groups\":[{\"variant\":\"b\"}]}")), "filters");
        assertThat(create(filters("{\"multivariate\":{\"variants\":[{\"key\":\"a\",\"rollout_percentage\":100}]},"
                + "\"groups\":[{\"variant\":\"a\"},{\"variant\":null}]}"))).isNotNull();
    }

    @Test
    void refusesFiltersTheEvaluatorCannotRead() {
        assertInvalid(() -> create(filters("{\"groups\":[{\"properties\":[{\"value\":1}]}]}")), "filters")
                .hasMessageContaining("key");
        assertInvalid(() -> create(filters("{\"groups\":[{\"properties\":\"email\"}]}")), "filters");
        assertInvalid(() -> create(filters("{\"groups\":[{\"properties\":[{\"key\":\"a\",\"operator\":\"like\"}]}]}")),
                "filters").hasMessageContaining("operator");
        assertInvalid(() -> create(filters("{\"groups\":[{\"properties\":{\"type\":\"XOR\",\"values\":[]}}]}")),
                "filters");
        assertInvalid(() -> create(filters("{\"groups\":{\"rollout_percentage\":5}}")), "filters");
        assertInvalid(() -> create(filters("{\"aggregation_group_type_index\":5}")), "filters");
        assertInvalid(() -> create(filters("{\"aggregation_group_type_index\":\"0\"}")), "filters");
        assertInvalid(() -> create(filters("{\"groups\":[{\"properties\":[{\"key\":\"id\",\"type\":\"cohort\","
                + "\"value\":\"abc\"}]}]}")), "filters").hasMessageContaining("cohort id");
    }

    @Test
    void collectsCohortsFromNestedGroupsAndSuperGroups() {
        FeatureFlagInput.Validated validated = create(filters("{\"groups\":[{\"properties\":{\"type\":\"OR\",\"values\":["
                + "{\"key\":\"id\",\"type\":\"cohort\",\"value\":\"3\"},{\"type\":\"AND\",\"values\":["
                + "{\"key\":\"id\",\"type\":\"cohort\",\"value\":4}]}]}}],"
                + "\"super_groups\":[{\"properties\":[{\"key\":\"id\",\"type\":\"cohort\",\"value\":5}]}]}"));

        assertThat(validated.cohortIds()).containsExactlyInAnyOrder(3L, 4L, 5L);
    }

    @Test
    void patchChangesOnlyTheFieldsItSets() {
        FeatureFlagDraft current = create(filters("{\"groups\":[{\"rollout_percentage\":10}]}")).draft();

        FeatureFlagDraft patched = FeatureFlagInput.forPatch(current, body("{\"active\":false,\"name\":\"n\"}")).draft();

        assertThat(patched).isEqualTo(new FeatureFlagDraft("f", "n", current.filters(), false, false, false, "all",
                List.of()));
        assertInvalid(() -> FeatureFlagInput.forPatch(current, body("{\"active\":null}")), "active");
        assertInvalid(() -> FeatureFlagInput.forPatch(current, body("{\"key\":null}")), "key");
        assertInvalid(() -> FeatureFlagInput.forPatch(current, body("{\"key\":\"a b\"}")), "key");
        assertInvalid(() -> FeatureFlagInput.forPatch(current,
                body("{\"filters\":{\"groups\":[{\"rollout_percentage\":200}]}}")), "filters");
    }

    @Test
    void patchDoesNotRecheckStoredFiltersItLeavesAlone() {
        // A definition stored before a rule existed (or written by hand) must not stop the flag being switched off.
        FeatureFlagDraft legacy = new FeatureFlagDraft("old", "", Json.read("{\"payloads\":{\"x\":1}}"), true, false,
                false, "all", List.of());

        FeatureFlagDraft patched = FeatureFlagInput.forPatch(legacy, body("{\"active\":false}")).draft();

        assertThat(patched.active()).isFalse();
        assertThat(patched.filters()).isEqualTo(legacy.filters());
    }
}
