package dev.ingest.decide.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import dev.ingest.decide.flags.FeatureFlag;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FlagNeedsTest {
    private static FeatureFlag flag(String filters) {
        return FeatureFlag.fromJson(Json.read(("{'id': 1, 'key': 'f', 'active': true, 'filters': " + filters + "}").replace('\'', '"')));
    }

    @Test
    void collectsThePersonKeysOfNestedGroupsSuperGroupsAndHoldouts() {
        FlagNeeds needs = FlagNeeds.of(flag("{'groups': [{'properties': {'type': 'OR', 'values': [{'type': 'AND', 'values': ["
                + "{'key': 'plan', 'value': 'pro', 'operator': 'exact', 'type': 'person'},"
                + "{'key': '$browser', 'value': 'x', 'operator': 'exact', 'type': 'event'}]}]}, 'rollout_percentage': 100}],"
                + "'super_groups': [{'properties': [{'key': 'beta', 'value': ['true'], 'operator': 'exact', 'type': 'person'}]}],"
                + "'holdout_groups': [{'properties': [{'key': 'email', 'value': 'x', 'operator': 'icontains', 'type': 'person'}]}]}"));
        assertThat(needs.personKeys()).containsExactlyInAnyOrder("plan", "beta", "email");
        assertThat(needs.cohorts()).isFalse();
        assertThat(needs.personMetadata()).isFalse();
        assertThat(needs.needsStoredPerson(Map.of("plan", 1, "beta", 1))).isTrue();
        assertThat(needs.needsStoredPerson(Map.of("plan", 1, "beta", 1, "email", 1, "other", 1))).isFalse();
    }

    @Test
    void aCohortOrMetadataFilterAlwaysNeedsTheStoredPerson() {
        FlagNeeds cohort = FlagNeeds.of(flag("{'groups': [{'properties': [{'key': 'id', 'value': 7, 'type': 'cohort'}]}]}"));
        assertThat(cohort.cohorts()).isTrue();
        assertThat(cohort.needsStoredPerson(Map.of("anything", 1))).isTrue();
        FlagNeeds metadata = FlagNeeds.of(flag("{'groups': [{'properties': [{'key': 'created_at', 'value': '-7d',"
                + " 'operator': 'is_date_after', 'type': 'person_metadata'}]}]}"));
        assertThat(metadata.personMetadata()).isTrue();
        assertThat(metadata.needsStoredPerson(Map.of())).isTrue();
    }

    @Test
    void aRolloutWithoutPropertiesNeedsNothing() {
        assertThat(FlagNeeds.of(flag("{'groups': [{'properties': [], 'rollout_percentage': 50}]}")).needsStoredPerson(Map.of()))
                .isFalse();
    }
}
