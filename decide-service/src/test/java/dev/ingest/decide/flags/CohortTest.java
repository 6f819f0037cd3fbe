package dev.ingest.decide.flags;

import static dev.ingest.decide.flags.FlagFixtures.flagWithFilters;
import static dev.ingest.decide.flags.FlagFixtures.json;
import static dev.ingest.decide.flags.FlagFixtures.props;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cohort filters ({@code type: cohort}) and nested AND/OR property groups. */
class CohortTest {
    /** Cohort 1: (country = GB AND plan in [pro, team]) OR email ends with @staff.io. */
    private static final Cohort GB_PAYING_OR_STAFF = Cohort.dynamicFromJson(json("""
            {'type': 'OR', 'values': [
               {'type': 'AND', 'values': [
                  {'key': 'country', 'value': 'GB', 'type': 'person'},
                  {'key': 'plan', 'value': ['pro', 'team'], 'operator': 'exact', 'type': 'person'}]},
               {'type': 'AND', 'values': [
                  {'key': 'email', 'value': '@staff.io', 'operator': 'ends_with', 'type': 'person'}]}]}"""));

    /** Cohort 2: in cohort 1 and not a bot (negation). */
    private static final Cohort HUMANS_OF_COHORT_1 = Cohort.dynamicFromJson(json("""
            {'properties': {'type': 'AND', 'values': [
               {'key': 'id', 'value': 1, 'type': 'cohort'},
               {'key': 'is_bot', 'value': ['true'], 'operator': 'exact', 'type': 'person', 'negation': true}]}}"""));

    private static final CohortResolver COHORTS = CohortResolver.of(Map.of(
            "1", GB_PAYING_OR_STAFF,
            "2", HUMANS_OF_COHORT_1,
            "10", new Cohort.Static(true),
            "11", new Cohort.Static(false),
            "20", Cohort.dynamicFromJson(json("{'type': 'AND', 'values': [{'key': 'id', 'value': 20, 'type': 'cohort'}]}")),
            "30", Cohort.dynamicFromJson(json("{'type': 'OR', 'values': []}"))));

    private static boolean enabled(String cohortFilter, String... personProperties) {
        FeatureFlag flag = flagWithFilters("cohort-flag", "{'groups': [{'properties': [" + cohortFilter + "]}]}");
        EvaluationContext context = EvaluationContext.builder("u")
                .personProperties(props(personProperties))
                .cohorts(COHORTS)
                .build();
        return FlagMatcher.evaluate(flag, context).enabled();
    }

    @ParameterizedTest(name = "country={0} plan={1} email={2} -> {3}")
    @CsvSource({
        "GB, pro,  a@b.c,      true",
        "gb, TEAM, a@b.c,      true",
        "GB, free, a@b.c,      false",
        "FR, pro,  a@b.c,      false",
        "FR, free, x@staff.io, true",
    })
    void dynamicCohortsEvaluateTheirNestedGroups(String country, String plan, String email, boolean expected) {
        String filter = "{'key': 'id', 'value': 1, 'type': 'cohort'}";
        assertThat(enabled(filter, "country", quoted(country), "plan", quoted(plan), "email", quoted(email))).isEqualTo(expected);
    }

    private static String quoted(String text) {
        return "'" + text + "'";
    }

    @Test
    void cohortIdsMayBeStrings() {
        assertThat(enabled("{'key': 'id', 'value': '1', 'type': 'cohort'}", "email", "'x@staff.io'")).isTrue();
    }

    @Test
    void cohortsCanReferToCohortsAndNegateProperties() {
        String filter = "{'key': 'id', 'value': 2, 'type': 'cohort'}";
        assertThat(enabled(filter, "email", "'x@staff.io'")).isTrue();
        assertThat(enabled(filter, "email", "'x@staff.io'", "is_bot", "true")).isFalse();
        assertThat(enabled(filter, "email", "'x@other.io'")).isFalse();
    }

    @Test
    void staticCohortsUseTheResolvedMembership() {
        assertThat(enabled("{'key': 'id', 'value': 10, 'type': 'cohort'}")).isTrue();
        assertThat(enabled("{'key': 'id', 'value': 11, 'type': 'cohort'}")).isFalse();
        assertThat(enabled("{'key': 'id', 'value': 10, 'type': 'static-cohort'}")).isTrue();
    }

    @Test
    void notInInvertsMembershipAndNegationOnTheFlagsOwnConditionIsIgnored() {
        assertThat(enabled("{'key': 'id', 'value': 11, 'type': 'cohort', 'operator': 'not_in'}")).isTrue();
        assertThat(enabled("{'key': 'id', 'value': 10, 'type': 'cohort', 'operator': 'not_in'}")).isFalse();
        // PostHog's flags service reads negation only inside cohort definitions (cohort 2's is_bot filter).
        assertThat(enabled("{'key': 'id', 'value': 10, 'type': 'cohort', 'operator': 'in', 'negation': true}"))
                .isTrue();
        assertThat(enabled("{'key': 'id', 'value': 11, 'type': 'cohort', 'negation': true}")).isFalse();
    }

    @Test
    void aMissingCohortMatchesNothing() {
        assertThat(enabled("{'key': 'id', 'value': 999, 'type': 'cohort'}")).isFalse();
        assertThat(enabled("{'key': 'id', 'value': 999, 'type': 'cohort', 'operator': 'not_in'}")).isFalse();
        assertThat(enabled("{'key': 'id', 'value': 999, 'type': 'cohort', 'negation': true}")).isFalse();
    }

    @Test
    void aCohortThatContainsItselfDoesNotLoop() {
        assertThat(enabled("{'key': 'id', 'value': 20, 'type': 'cohort'}")).isFalse();
    }

    @Test
    void anEmptyGroupMatches() {
        assertThat(enabled("{'key': 'id', 'value': 30, 'type': 'cohort'}")).isTrue();
    }

    @Test
    void filtersThatCannotBeDecidedFromPropertiesNeverMatch() {
        assertThat(enabled("{'key': '$pageview', 'value': 1, 'type': 'behavioral', 'operator': 'exact'}")).isFalse();
        assertThat(enabled("{'key': '12', 'value': true, 'type': 'flag', 'operator': 'flag_evaluates_to'}"))
                .isFalse();
    }

    @Test
    void withoutAResolverNoCohortExists() {
        FeatureFlag flag = flagWithFilters("c", "{'groups': [{'properties': [{'key': 'id', 'value': 10, 'type': 'cohort'}]}]}");
        assertThat(FlagMatcher.evaluate(flag, EvaluationContext.builder("u").build()).enabled()).isFalse();
    }
}
