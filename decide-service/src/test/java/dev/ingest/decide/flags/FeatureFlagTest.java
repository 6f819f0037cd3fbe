package dev.ingest.decide.flags;

import static dev.ingest.decide.flags.FlagFixtures.flag;
import static dev.ingest.decide.flags.FlagFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingest.common.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading flag definitions (PostHog's flag JSON). */
class FeatureFlagTest {

    @Test
    void readsPostHogsDefinitionFormat() {
        FeatureFlag flag = flag("""
                {'id': 1, 'key': 'beta', 'name': 'Beta', 'active': true, 'deleted': false, 'version': 3,
                 'ensure_experience_continuity': false,
                 'filters': {'groups': [{'properties': [{'key': 'email', 'value': '@x.com', 'operator': 'icontains',
                                                         'type': 'person'}],
                                         'rollout_percentage': 50, 'variant': null}],
                             'multivariate': {'variants': [{'key': 'control', 'rollout_percentage': 50},
                                                           {'key': 'test', 'rollout_percentage': 50}]},
                             'payloads': {'true': '{\\"a\\":1}', 'control': 'plain text'},
                             'aggregation_group_type_index': null, 'super_groups': [], 'holdout_groups': []}}""");

        assertThat(flag.id()).isEqualTo(1L);
        assertThat(flag.key()).isEqualTo("beta");
        assertThat(flag.name()).isEqualTo("Beta");
        assertThat(flag.active()).isTrue();
        assertThat(flag.deleted()).isFalse();
        assertThat(flag.version()).isEqualTo(3);
        assertThat(flag.isGroupFlag()).isFalse();

        FlagCondition condition = flag.filters().groups().getFirst();
        assertThat(condition.rolloutPercentage()).isEqualTo(50.0);
        assertThat(condition.variant()).isNull();
        assertThat(condition.properties()).containsExactly(new PropertyFilter(
                "email", json("'@x.com'"), Operator.ICONTAINS, PropertyType.PERSON, null, false));

        assertThat(flag.filters().variants()).containsExactly(
                new FlagVariant("control", null, 50), new FlagVariant("test", null, 50));

        assertThat(flag.filters().payload("true")).contains(new FlagPayload("{\"a\":1}"));
        assertThat(flag.filters().payload("control")).contains(new FlagPayload("plain text"));
    }

    @ParameterizedTest(name = "stored {0} -> served {1}")
    @CsvSource(delimiter = '|', textBlock = """
            "{\\"a\\": [1, 2]}" | {"a": [1, 2]}
            "42"                | 42
            "\\"quoted\\""      | "quoted"
            "not json"          | not json
            ""                  | ''
            {"a": 1}            | {"a":1}
            7                   | 7
            """)
    void aPayloadIsServedAsTheStringStoredAndALegacyNonStringAsItsJsonText(String stored, String served) {
        assertThat(FlagPayload.of(Json.read(stored)).json()).isEqualTo(served);
    }

    @Test
    void defaultsForMissingFields() {
        FeatureFlag flag = flag("{'key': 'bare'}");
        assertThat(flag.id()).isNull();
        assertThat(flag.active()).isTrue();
        assertThat(flag.deleted()).isFalse();
        assertThat(flag.ensureExperienceContinuity()).isFalse();
        assertThat(flag.filters()).isEqualTo(FlagFilters.EMPTY);
    }

    @Test
    void readsGroupAggregationSuperAndHoldoutGroups() {
        FeatureFlag flag = flag("""
                {'key': 'g', 'ensure_experience_continuity': true,
                 'filters': {'aggregation_group_type_index': 2,
                             'super_groups': [{'properties': [{'key': '$feature_enrollment/g', 'value': ['true']}]}],
                             'holdout_groups': [{'properties': [], 'rollout_percentage': 10, 'variant': 'holdout-1'}],
                             'groups': [{'properties': [{'type': 'OR', 'values': [{'key': 'a', 'value': 1}]}],
                                         'rollout_percentage': '12.5', 'variant': ''}]}}""");
        assertThat(flag.isGroupFlag()).isTrue();
        assertThat(flag.ensureExperienceContinuity()).isTrue();
        assertThat(flag.filters().aggregationGroupTypeIndex()).isEqualTo(2);
        assertThat(flag.filters().superGroups()).hasSize(1);
        assertThat(flag.filters().holdoutGroups().getFirst().variant()).isEqualTo("holdout-1");
        FlagCondition condition = flag.filters().groups().getFirst();
        assertThat(condition.rolloutPercentage()).isEqualTo(12.5);
        assertThat(condition.variant()).isNull();
        assertThat(condition.properties().getFirst()).isInstanceOf(PropertyGroup.class);
    }

    @Test
    void unknownOperatorsAndTypesAreKeptAsUnsupported() {
        PropertyFilter filter = PropertyFilter.fromJson(json("{'key': 'k', 'value': 1, 'operator': 'fancy', 'type': 'event'}"));
        assertThat(filter.operator()).isEqualTo(Operator.UNSUPPORTED);
        assertThat(filter.type()).isEqualTo(PropertyType.OTHER);
    }

    @Test
    void malformedDefinitionsAreRejected() {
        assertThatThrownBy(() -> flag("{'filters': {}}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> flag("{'key': 'k', 'filters': {'groups': [{'rollout_percentage': 'lots'}]}}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> flag("{'key': 'k', 'filters': {'groups': [{'properties': [{'value': 1}]}]}}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> flag("{'key': 'k', 'filters': {'groups': [{'properties': 'email = x'}]}}"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
