package dev.ingest.decide.flags;

import static dev.ingest.decide.flags.FlagFixtures.NOW;
import static dev.ingest.decide.flags.FlagFixtures.flag;
import static dev.ingest.decide.flags.FlagFixtures.flagWithFilters;
import static dev.ingest.decide.flags.FlagFixtures.json;
import static dev.ingest.decide.flags.FlagFixtures.person;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The evaluation of one flag (PostHog's flag-matching rules and the cases of its decide tests). */
class FlagMatcherTest {
    private static final String EMAIL_AT_X = "{'key': 'email', 'value': '@x.com', 'operator': 'icontains', 'type': 'person'}";

    private static FlagResult evaluate(FeatureFlag flag, EvaluationContext context) {
        return FlagMatcher.evaluate(flag, context);
    }

    @Nested
    class EdgeRules {
        @Test
        void rolloutZeroIsFalseForEveryone() {
            FeatureFlag flag = flagWithFilters("zero", "{'groups': [{'properties': [], 'rollout_percentage': 0}]}");
            IntStream.range(0, 500).forEach(i -> {
                FlagResult result = evaluate(flag, person("distinct_id_" + i));
                assertThat(result.enabled()).isFalse();
                assertThat(result.reason()).isEqualTo(MatchReason.OUT_OF_ROLLOUT_BOUND);
                assertThat(result.conditionIndex()).isZero();
            });
        }

        @ParameterizedTest(name = "rollout_percentage {0}")
        @ValueSource(strings = {"100", "null", "100.0"})
        void rolloutHundredOrNullIsTrueForEveryone(String percentage) {
            FeatureFlag flag = flagWithFilters(
                    "all", "{'groups': [{'properties': [], 'rollout_percentage': " + percentage + "}]}");
            IntStream.range(0, 500).forEach(i -> {
                FlagResult result = evaluate(flag, person("distinct_id_" + i));
                assertThat(result.enabled()).isTrue();
                assertThat(result.reason()).isEqualTo(MatchReason.CONDITION_MATCH);
                assertThat(result.description()).isEqualTo("Matched condition set 1");
            });
        }

        @Test
        void missingRolloutPercentageIsHundred() {
            FeatureFlag flag = flagWithFilters("all", "{'groups': [{'properties': []}]}");
            assertThat(evaluate(flag, person("anyone")).enabled()).isTrue();
        }

        @Test
        void propertiesWithoutRolloutMatchWhenThePropertiesMatch() {
            FeatureFlag flag = flagWithFilters("props", "{'groups': [{'properties': [" + EMAIL_AT_X + "]}]}");

            FlagResult match = evaluate(flag, person("u1", "email", "'bob@X.com'"));
            assertThat(match.enabled()).isTrue();
            assertThat(match.reason()).isEqualTo(MatchReason.CONDITION_MATCH);

            FlagResult noMatch = evaluate(flag, person("u1", "email", "'bob@y.com'"));
            assertThat(noMatch.enabled()).isFalse();
            assertThat(noMatch.reason()).isEqualTo(MatchReason.NO_CONDITION_MATCH);
            assertThat(noMatch.conditionIndex()).isZero();

            assertThat(evaluate(flag, person("u1")).reason()).isEqualTo(MatchReason.NO_CONDITION_MATCH);
        }

        @Test
        void propertiesAndRolloutMustBothPass() {
            // hash("float-flag.user_50") = 0.4526…
            FeatureFlag flag = flagWithFilters(
                    "float-flag", "{'groups': [{'properties': [" + EMAIL_AT_X + "], 'rollout_percentage': 40}]}");
            FlagResult result = evaluate(flag, person("user_50", "email", "'a@x.com'"));
            assertThat(result.enabled()).isFalse();
            assertThat(result.reason()).isEqualTo(MatchReason.OUT_OF_ROLLOUT_BOUND);
        }

        @Test
        void fractionalRolloutPercentagesAreNotTruncated() {
            // hash("float-flag.user_50") = 0.452604523029089, hash("float-flag.user_95") = 0.45057588605078114
            FeatureFlag at45 = flagWithFilters("float-flag", "{'groups': [{'rollout_percentage': 45}]}");
            FeatureFlag at455 = flagWithFilters("float-flag", "{'groups': [{'rollout_percentage': 45.5}]}");
            FeatureFlag at4505 = flagWithFilters("float-flag", "{'groups': [{'rollout_percentage': 45.05}]}");
            for (String id : List.of("user_50", "user_95")) {
                assertThat(evaluate(at45, person(id)).enabled()).isFalse();
                assertThat(evaluate(at455, person(id)).enabled()).isTrue();
            }
            assertThat(evaluate(at4505, person("user_95")).enabled()).isFalse();
        }

        @Test
        void conditionsAreEvaluatedInStoredOrderVariantOverridesIncluded() {
            FeatureFlag flag = flagWithFilters("mv", """
                    {'groups': [{'properties': [], 'rollout_percentage': 100},
                                {'properties': [%s], 'rollout_percentage': 100, 'variant': 'test'}],
                     'multivariate': {'variants': [{'key': 'control', 'rollout_percentage': 50},
                                                   {'key': 'test', 'rollout_percentage': 50}]}}"""
                    .formatted(EMAIL_AT_X));
            // hash("mv.user_0variant") = 0.4934…: the hash gives control. The first condition matches everyone, so the
            // override of the second never applies (PostHog stopped sorting overrides first in PostHog/posthog#37859).
            FlagResult first = evaluate(flag, person("user_0", "email", "'a@x.com'"));
            assertThat(first.variant()).isEqualTo("control");
            assertThat(first.reason()).isEqualTo(MatchReason.CONDITION_MATCH);
            assertThat(first.conditionIndex()).isZero();

            FeatureFlag overrideFirst = flagWithFilters("mv", """
                    {'groups': [{'properties': [%s], 'rollout_percentage': 100, 'variant': 'test'},
                                {'properties': [], 'rollout_percentage': 100}],
                     'multivariate': {'variants': [{'key': 'control', 'rollout_percentage': 50},
                                                   {'key': 'test', 'rollout_percentage': 50}]}}"""
                    .formatted(EMAIL_AT_X));
            FlagResult overridden = evaluate(overrideFirst, person("user_0", "email", "'a@x.com'"));
            assertThat(overridden.variant()).isEqualTo("test");
            assertThat(overridden.conditionIndex()).isZero();
            FlagResult hashed = evaluate(overrideFirst, person("user_0", "email", "'a@y.com'"));
            assertThat(hashed.variant()).isEqualTo("control");
            assertThat(hashed.conditionIndex()).isEqualTo(1);
            assertThat(hashed.description()).isEqualTo("Matched condition set 2");
        }

        @Test
        void anOverrideThatIsNotAVariantFallsBackToTheHash() {
            FeatureFlag flag = flagWithFilters("mv", """
                    {'groups': [{'properties': [], 'rollout_percentage': 100, 'variant': 'no-such-variant'}],
                     'multivariate': {'variants': [{'key': 'control', 'rollout_percentage': 50},
                                                   {'key': 'test', 'rollout_percentage': 50}]}}""");
            assertThat(evaluate(flag, person("user_0")).variant()).isEqualTo("control"); // 0.4934…
            assertThat(evaluate(flag, person("user_1")).variant()).isEqualTo("test"); // 0.7603…
        }

        @Test
        void payloadIsThatOfTheVariantForMultivariateAndOfTrueForBoolean() {
            FeatureFlag multivariate = flagWithFilters("mv", """
                    {'groups': [{'rollout_percentage': 100}],
                     'multivariate': {'variants': [{'key': 'control', 'rollout_percentage': 50},
                                                   {'key': 'test', 'rollout_percentage': 50}]},
                     'payloads': {'control': '{\\"c\\": 1}', 'true': '\\"never for a variant\\"'}}""");
            FlagResult control = evaluate(multivariate, person("user_0"));
            assertThat(control.payload()).isEqualTo("{\"c\": 1}");
            FlagResult test = evaluate(multivariate, person("user_1"));
            assertThat(test.variant()).isEqualTo("test");
            assertThat(test.payload()).isNull();

            FeatureFlag bool = flagWithFilters("b", "{'groups': [{'rollout_percentage': 100}], 'payloads': {'true': 42}}");
            assertThat(evaluate(bool, person("u")).payload()).isEqualTo("42");

            FeatureFlag off = flagWithFilters("b", "{'groups': [{'rollout_percentage': 0}], 'payloads': {'true': 42}}");
            assertThat(evaluate(off, person("u")).payload()).isNull();
        }
    }

    @Nested
    class Variants {
        @ParameterizedTest(name = "{0}: variant hash {1} -> {2}")
        @CsvSource({
            "user_2, 0.2130, a",
            "user_8, 0.3301, b",
            "user_9, 0.3702, b",
            "user_5, 0.4686, null",
            "user_4, 0.5379, null",
        })
        void percentagesUnder100LeavePlainTrue(String distinctId, double variantHash, String expected) {
            FeatureFlag flag = flagWithFilters("mv", """
                    {'groups': [{'rollout_percentage': 100}],
                     'multivariate': {'variants': [{'key': 'a', 'rollout_percentage': 30},
                                                   {'key': 'b', 'rollout_percentage': 10}]}}""");
            assertThat(FlagHasher.variantHash("mv", distinctId)).isCloseTo(variantHash, offset(1e-4));
            FlagResult result = evaluate(flag, person(distinctId));
            assertThat(result.enabled()).isTrue();
            assertThat(result.variant()).isEqualTo(expected.equals("null") ? null : expected);
            assertThat(result.value()).isEqualTo(expected.equals("null") ? json("true") : json("'" + expected + "'"));
        }

        @Test
        void rangesAreHalfOpen() {
            FeatureFlag flag = flagWithFilters("mv", """
                    {'groups': [{'rollout_percentage': 100}],
                     'multivariate': {'variants': [{'key': 'none', 'rollout_percentage': 0},
                                                   {'key': 'all', 'rollout_percentage': 100}]}}""");
            IntStream.range(0, 100).forEach(i -> assertThat(evaluate(flag, person("u" + i)).variant()).isEqualTo("all"));
        }
    }

    @Nested
    class Reasons {
        @Test
        void theHighestPriorityReasonIsReported() {
            FeatureFlag flag = flagWithFilters("r", """
                    {'groups': [{'properties': [%s]}, {'properties': [], 'rollout_percentage': 0},
                                {'properties': [%s], 'rollout_percentage': 100}]}"""
                    .formatted(EMAIL_AT_X, EMAIL_AT_X));
            FlagResult result = evaluate(flag, person("u", "email", "'a@y.com'"));
            assertThat(result.enabled()).isFalse();
            assertThat(result.reason()).isEqualTo(MatchReason.OUT_OF_ROLLOUT_BOUND);
            assertThat(result.conditionIndex()).isEqualTo(1);
            assertThat(result.payload()).isNull();
        }

        @Test
        void onATieTheLaterConditionIsReported() {
            FeatureFlag flag = flagWithFilters("r", "{'groups': [{'properties': [%s]}, {'properties': [%s]}]}"
                    .formatted(EMAIL_AT_X, EMAIL_AT_X));
            FlagResult result = evaluate(flag, person("u"));
            assertThat(result.reason()).isEqualTo(MatchReason.NO_CONDITION_MATCH);
            assertThat(result.conditionIndex()).isEqualTo(1);
            assertThat(result.description()).isEqualTo("No matching condition set");
        }

        @Test
        void aFlagWithoutConditionsIsFalseWithNoGroupType() {
            FlagResult result = evaluate(flagWithFilters("empty", "{'groups': []}"), person("u"));
            assertThat(result.enabled()).isFalse();
            assertThat(result.reason()).isEqualTo(MatchReason.NO_GROUP_TYPE);
            assertThat(result.conditionIndex()).isNull();

            FlagResult noFilters = evaluate(flag("{'key': 'bare', 'active': true}"), person("u"));
            assertThat(noFilters.reason()).isEqualTo(MatchReason.NO_GROUP_TYPE);
        }

        @Test
        void outOfRolloutOutranksNoConditionMatchWhichOutranksNoGroupType() {
            assertThat(MatchReason.OUT_OF_ROLLOUT_BOUND.priority()).isGreaterThan(MatchReason.NO_CONDITION_MATCH.priority());
            assertThat(MatchReason.NO_CONDITION_MATCH.priority()).isGreaterThan(MatchReason.NO_GROUP_TYPE.priority());
            FeatureFlag flag = flagWithFilters("r", "{'groups': [{'properties': [], 'rollout_percentage': 0},"
                    + " {'properties': [%s]}]}".formatted(EMAIL_AT_X));
            FlagResult result = evaluate(flag, person("u"));
            assertThat(result.reason()).isEqualTo(MatchReason.OUT_OF_ROLLOUT_BOUND);
            assertThat(result.conditionIndex()).isZero();
        }

        @Test
        void reasonCodesAreTheWireCodes() {
            assertThat(List.of(MatchReason.values()).stream().map(MatchReason::code)).containsExactly(
                    "super_condition_value",
                    "holdout_condition_value",
                    "condition_match",
                    "out_of_rollout_bound",
                    "no_condition_match",
                    "no_group_type",
                    "flag_disabled",
                    "missing_dependency");
        }
    }

    @Nested
    class DisabledFlags {
        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"'active': false", "'active': true, 'deleted': true", "'active': false, 'deleted': true"})
        void inactiveOrDeletedFlagsAreDisabled(String state) {
            FeatureFlag flag = flag("{'key': 'd', " + state + ", 'filters': {'groups': [{'rollout_percentage': 100}],"
                    + " 'payloads': {'true': 1}}}");
            FlagResult result = evaluate(flag, person("u"));
            assertThat(result.enabled()).isFalse();
            assertThat(result.reason()).isEqualTo(MatchReason.FLAG_DISABLED);
            assertThat(result.conditionIndex()).isNull();
            assertThat(result.payload()).isNull();
            assertThat(result.value()).isEqualTo(json("false"));
        }
    }

    @Nested
    class GroupFlags {
        private final FeatureFlag flag = flagWithFilters("g-flag", """
                {'aggregation_group_type_index': 0,
                 'groups': [{'properties': [{'key': 'plan', 'value': 'pro', 'type': 'group', 'group_type_index': 0}],
                             'rollout_percentage': 91}]}""");

        private EvaluationContext.Builder withCompany(String key) {
            return EvaluationContext.builder("user-1").clock(NOW).group(0, "company", key);
        }

        @Test
        void withoutTheGroupTheFlagIsFalseWithNoGroupType() {
            FlagResult result = evaluate(flag, person("user-1", "plan", "'pro'"));
            assertThat(result.enabled()).isFalse();
            assertThat(result.reason()).isEqualTo(MatchReason.NO_GROUP_TYPE);
            assertThat(result.conditionIndex()).isNull();

            EvaluationContext otherGroupType = EvaluationContext.builder("user-1").group(1, "project", "p").build();
            assertThat(evaluate(flag, otherGroupType).reason()).isEqualTo(MatchReason.NO_GROUP_TYPE);
            assertThat(evaluate(flag, withCompany("").build()).reason()).isEqualTo(MatchReason.NO_GROUP_TYPE);
        }

        @Test
        void theGroupKeyIsHashedAndGroupPropertiesAreMatched() {
            // hash("g-flag.acme") = 0.9059841522867775 <= 0.91
            FlagResult acme = evaluate(flag, withCompany("acme").groupProperties("company", json("{'plan': 'pro'}")).build());
            assertThat(acme.enabled()).isTrue();

            FlagResult free = evaluate(flag, withCompany("acme").groupProperties("company", json("{'plan': 'free'}")).build());
            assertThat(free.reason()).isEqualTo(MatchReason.NO_CONDITION_MATCH);

            FeatureFlag at90 = flagWithFilters("g-flag", "{'aggregation_group_type_index': 0, 'groups': [{'rollout_percentage': 90}]}");
            assertThat(evaluate(at90, withCompany("acme").build()).reason()).isEqualTo(MatchReason.OUT_OF_ROLLOUT_BOUND);
        }

        @Test
        void personPropertiesAreNotReadByAGroupFlag() {
            FeatureFlag untyped = flagWithFilters("g-flag", """
                    {'aggregation_group_type_index': 0, 'groups': [{'properties': [{'key': 'plan', 'value': 'pro'}]}]}""");
            EvaluationContext context = withCompany("acme").personProperty("plan", "pro").build();
            assertThat(evaluate(untyped, context).enabled()).isFalse();
            assertThat(evaluate(untyped, withCompany("acme").groupProperties("company", json("{'plan': 'pro'}")).build())
                    .enabled()).isTrue();
        }

        @Test
        void groupKeyIsAvailableAsAProperty() {
            FeatureFlag byKey = flagWithFilters("g", """
                    {'aggregation_group_type_index': 0,
                     'groups': [{'properties': [{'key': '$group_key', 'value': ['acme', 'globex'], 'type': 'group',
                                                 'group_type_index': 0}]}]}""");
            assertThat(evaluate(byKey, withCompany("Acme").build()).enabled()).isTrue();
            assertThat(evaluate(byKey, withCompany("initech").build()).enabled()).isFalse();
        }

        @Test
        void aPersonFlagCanFilterOnGroupProperties() {
            FeatureFlag personFlag = flagWithFilters("p", """
                    {'groups': [{'properties': [{'key': 'plan', 'value': 'pro', 'type': 'group', 'group_type_index': 0},
                                                {'key': 'email', 'value': 'a@x.com'}]}]}""");
            EvaluationContext context = withCompany("acme")
                    .groupProperties("company", json("{'plan': 'pro'}"))
                    .personProperty("email", "a@x.com")
                    .build();
            assertThat(evaluate(personFlag, context).enabled()).isTrue();
        }
    }

    @Nested
    class ExperienceContinuity {
        // hash("continuity.anon-1") = 0.747, hash("continuity.user-1") = 0.9958
        private FeatureFlag flag(boolean ensure) {
            return FlagFixtures.flag("{'key': 'continuity', 'active': true, 'ensure_experience_continuity': " + ensure
                    + ", 'filters': {'groups': [{'rollout_percentage': 80}]}}");
        }

        @Test
        void theStoredHashKeyIsHashedInsteadOfTheDistinctId() {
            EvaluationContext context =
                    EvaluationContext.builder("user-1").hashKeyOverride("continuity", "anon-1").build();
            assertThat(evaluate(flag(true), context).enabled()).isTrue();
            assertThat(evaluate(flag(true), person("user-1")).enabled()).isFalse();
        }

        @Test
        void overridesAreIgnoredWithoutEnsureExperienceContinuity() {
            EvaluationContext context =
                    EvaluationContext.builder("user-1").hashKeyOverride("continuity", "anon-1").build();
            assertThat(evaluate(flag(false), context).enabled()).isFalse();
        }

        @Test
        void overridesOfOtherFlagsAreIgnored() {
            EvaluationContext context = EvaluationContext.builder("user-1").hashKeyOverride("other", "anon-1").build();
            assertThat(evaluate(flag(true), context).enabled()).isFalse();
        }
    }

    @Nested
    class DeviceBucketing {
        @Test
        void deviceIdIsHashedWhenTheFlagBucketsByDevice() {
            FeatureFlag flag = flag("{'key': 'continuity', 'active': true, 'bucketing_identifier': 'device_id',"
                    + " 'filters': {'groups': [{'rollout_percentage': 80}]}}");
            assertThat(evaluate(flag, EvaluationContext.builder("user-1").deviceId("anon-1").build()).enabled()).isTrue();
            assertThat(evaluate(flag, EvaluationContext.builder("user-1").build()).enabled()).isFalse();
        }
    }

    @Nested
    class SuperGroups {
        private final FeatureFlag flag = flagWithFilters("beta", """
                {'groups': [{'properties': [], 'rollout_percentage': 0}],
                 'super_groups': [{'properties': [{'key': '$feature_enrollment/beta', 'value': ['true'],
                                                   'operator': 'exact', 'type': 'person'}],
                                   'rollout_percentage': 100}],
                 'payloads': {'true': '\\"enrolled\\"'}}""");

        @Test
        void enrolledPeopleGetTheFlag() {
            FlagResult result = evaluate(flag, person("u", "$feature_enrollment/beta", "true"));
            assertThat(result.enabled()).isTrue();
            assertThat(result.variant()).isNull();
            assertThat(result.reason()).isEqualTo(MatchReason.SUPER_CONDITION_VALUE);
            assertThat(result.conditionIndex()).isZero();
            assertThat(result.payload()).isEqualTo("\"enrolled\"");
        }

        @Test
        void anUnenrolledPersonIsFalseWithSuperConditionValue() {
            FlagResult result = evaluate(flag, person("u", "$feature_enrollment/beta", "false"));
            assertThat(result.enabled()).isFalse();
            assertThat(result.reason()).isEqualTo(MatchReason.SUPER_CONDITION_VALUE);
            assertThat(result.payload()).isNull();
        }

        @Test
        void withoutTheEnrollmentPropertyTheReleaseConditionsDecide() {
            FlagResult result = evaluate(flag, person("u"));
            assertThat(result.enabled()).isFalse();
            assertThat(result.reason()).isEqualTo(MatchReason.OUT_OF_ROLLOUT_BOUND);
        }

        @Test
        void aSuperGroupWithoutPropertiesIsEvaluatedLikeACondition() {
            FeatureFlag open = flagWithFilters("beta", """
                    {'groups': [{'rollout_percentage': 0}], 'super_groups': [{'properties': [], 'rollout_percentage': 100}]}""");
            FlagResult result = evaluate(open, person("u"));
            assertThat(result.enabled()).isTrue();
            assertThat(result.reason()).isEqualTo(MatchReason.SUPER_CONDITION_VALUE);

            FeatureFlag closed = flagWithFilters("beta", """
                    {'groups': [{'rollout_percentage': 100}], 'super_groups': [{'properties': [], 'rollout_percentage': 0}]}""");
            FlagResult closedResult = evaluate(closed, person("u"));
            assertThat(closedResult.enabled()).isFalse();
            assertThat(closedResult.reason()).isEqualTo(MatchReason.OUT_OF_ROLLOUT_BOUND);
        }
    }

    @Nested
    class Holdouts {
        // holdout hashes: user_5 0.0702, user_40 0.0491 (inside 10%); user_0, user_1 outside
        private final FeatureFlag flag = flagWithFilters("experiment", """
                {'groups': [{'rollout_percentage': 100}],
                 'holdout_groups': [{'properties': [], 'rollout_percentage': 10, 'variant': 'holdout-7'}],
                 'multivariate': {'variants': [{'key': 'control', 'rollout_percentage': 50},
                                               {'key': 'test', 'rollout_percentage': 50}]},
                 'payloads': {'holdout-7': '{\\"held\\": true}'}}""");

        @ParameterizedTest(name = "{0} is held out")
        @ValueSource(strings = {"user_5", "user_40", "user_41"})
        void peopleInsideTheHoldoutGetTheHoldoutVariant(String distinctId) {
            assertThat(FlagHasher.holdoutHash(distinctId)).isLessThanOrEqualTo(0.10);
            FlagResult result = evaluate(flag, person(distinctId));
            assertThat(result.enabled()).isTrue();
            assertThat(result.variant()).isEqualTo("holdout-7");
            assertThat(result.reason()).isEqualTo(MatchReason.HOLDOUT_CONDITION_VALUE);
            assertThat(result.conditionIndex()).isNull();
            assertThat(result.payload()).isEqualTo("{\"held\": true}");
        }

        @ParameterizedTest(name = "{0} is not held out")
        @ValueSource(strings = {"user_0", "user_1", "user_2"})
        void peopleOutsideTheHoldoutGoThroughTheConditions(String distinctId) {
            FlagResult result = evaluate(flag, person(distinctId));
            assertThat(result.reason()).isEqualTo(MatchReason.CONDITION_MATCH);
            assertThat(result.variant()).isIn("control", "test");
        }

        @Test
        void holdoutGroupsWithPropertiesAreIgnored() {
            FeatureFlag withProperties = flagWithFilters("experiment", """
                    {'groups': [{'rollout_percentage': 100}],
                     'holdout_groups': [{'properties': [%s], 'rollout_percentage': 100, 'variant': 'holdout-7'}]}"""
                    .formatted(EMAIL_AT_X));
            assertThat(evaluate(withProperties, person("user_5", "email", "'a@x.com'")).reason())
                    .isEqualTo(MatchReason.CONDITION_MATCH);
        }
    }

    @Nested
    class Negation {
        @Test
        void negationIsIgnoredOnAFlagsOwnConditionsAsPostHogIgnoresIt() {
            FeatureFlag flag = flagWithFilters("n", """
                    {'groups': [{'properties': [{'key': 'email', 'value': '@x.com', 'operator': 'icontains',
                                                 'negation': true}]}]}""");
            assertThat(evaluate(flag, person("u", "email", "'a@y.com'")).enabled()).isFalse();
            assertThat(evaluate(flag, person("u", "email", "'a@x.com'")).enabled()).isTrue();
            assertThat(evaluate(flag, person("u")).enabled()).isFalse();
        }

        @ParameterizedTest(name = "negated {0} still never matches")
        @ValueSource(strings = {"no_such_operator", "in", "flag_evaluates_to"})
        void negationDoesNotTurnAnUndecidableFilterIntoAMatch(String operator) {
            FeatureFlag flag = flagWithFilters("n", "{'groups': [{'properties': [{'key': 'email', 'value': 'x',"
                    + " 'operator': '" + operator + "', 'negation': true}]}]}");
            assertThat(evaluate(flag, person("u", "email", "'y'")).enabled()).isFalse();
        }
    }

    @Nested
    class DecideExamples {
        private final FeatureFlag beta = flag("""
                {'id': 1, 'key': 'beta', 'active': true,
                 'filters': {'groups': [{'properties': [], 'rollout_percentage': 100}],
                             'payloads': {'true': '{\\"a\\":1}'}}}""");
        private final FeatureFlag off = flag("""
                {'id': 2, 'key': 'off', 'active': true,
                 'filters': {'groups': [{'properties': [], 'rollout_percentage': 0}]}}""");

        @Test
        void betaIsOnWithItsPayload() {
            FlagResult result = evaluate(beta, person("u1"));
            assertThat(result.enabled()).isTrue();
            assertThat(result.value()).isEqualTo(json("true"));
            assertThat(result.reason()).isEqualTo(MatchReason.CONDITION_MATCH);
            assertThat(result.conditionIndex()).isZero();
            assertThat(result.payload()).isEqualTo("{\"a\":1}");
        }

        @Test
        void offIsOff() {
            FlagResult result = evaluate(off, person("u1"));
            assertThat(result.enabled()).isFalse();
            assertThat(result.value()).isEqualTo(json("false"));
            assertThat(result.reason()).isEqualTo(MatchReason.OUT_OF_ROLLOUT_BOUND);
            assertThat(result.payload()).isNull();
        }

        @Test
        void evaluatingBothGivesTheV3Maps() {
            FlagsEvaluation evaluation = FlagMatcher.evaluateAll(List.of(beta, off), person("u1"));
            assertThat(evaluation.errorsWhileComputingFlags()).isFalse();
            assertThat(evaluation.flags()).containsOnlyKeys("beta", "off");
            assertThat(evaluation.flags().get("beta").value()).isEqualTo(json("true"));
            assertThat(evaluation.flags().get("off").value()).isEqualTo(json("false"));
        }
    }

    @Nested
    class Errors {
        @Test
        void aFlagThatFailsIsLeftOutAndFlagsTheResponse() {
            FeatureFlag cohortFlag = flagWithFilters("cohort-flag",
                    "{'groups': [{'properties': [{'key': 'id', 'value': 3, 'type': 'cohort'}]}]}");
            FeatureFlag plain = flagWithFilters("plain", "{'groups': [{'rollout_percentage': 100}]}");
            EvaluationContext context = EvaluationContext.builder("u")
                    .cohorts(id -> {
                        throw new IllegalStateException("cohort store down");
                    })
                    .build();

            FlagsEvaluation evaluation = FlagMatcher.evaluateAll(List.of(cohortFlag, plain), context);
            assertThat(evaluation.errorsWhileComputingFlags()).isTrue();
            assertThat(evaluation.flags()).containsOnlyKeys("plain");
        }
    }
}
