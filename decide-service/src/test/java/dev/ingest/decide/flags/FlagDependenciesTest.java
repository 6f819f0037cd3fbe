package dev.ingest.decide.flags;

import static dev.ingest.decide.flags.FlagFixtures.flag;
import static dev.ingest.decide.flags.FlagFixtures.person;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Flags that depend on flags ({@code type: flag}, {@code flag_evaluates_to}), resolved as PostHog's flags service
 * resolves them: dependencies first, a missing one makes the flag {@code missing_dependency}, a cycle leaves the flags
 * in and behind it out and sets {@code errorsWhileComputingFlags}.
 */
class FlagDependenciesTest {
    /** Flag {@code id}/{@code key}, on for people whose plan is pro. */
    private static FeatureFlag pro(long id, String key) {
        return flag("{'id': " + id + ", 'key': '" + key + "', 'active': true, 'filters': {'groups': [{'properties':"
                + " [{'key': 'plan', 'value': 'pro', 'operator': 'exact', 'type': 'person'}], 'rollout_percentage': 100}]}}");
    }

    /** Flag {@code id}/{@code key}, on when flag {@code dependency} evaluates to {@code value} (JSON). */
    private static FeatureFlag dependsOn(long id, String key, String dependency, String value) {
        return flag("{'id': " + id + ", 'key': '" + key + "', 'active': true, 'filters': {'groups': [{'properties':"
                + " [{'key': '" + dependency + "', 'type': 'flag', 'operator': 'flag_evaluates_to', 'value': " + value
                + "}], 'rollout_percentage': 100}]}}");
    }

    private static FeatureFlag multivariate(long id, String key, String variant) {
        return flag("{'id': " + id + ", 'key': '" + key + "', 'active': true, 'filters': {'groups': [{'properties': [],"
                + " 'rollout_percentage': 100, 'variant': '" + variant + "'}], 'multivariate': {'variants':"
                + " [{'key': 'red', 'rollout_percentage': 50}, {'key': 'blue', 'rollout_percentage': 50}]}}}");
    }

    private static FlagsEvaluation evaluate(List<FeatureFlag> flags, String plan) {
        return FlagMatcher.evaluateAll(flags, f -> f.active(), f -> true, person("u", "plan", "'" + plan + "'"));
    }

    @Test
    void aDependentFlagFollowsItsDependencyWhateverTheOrderTheyAreGivenIn() {
        List<FeatureFlag> flags = List.of(dependsOn(2, "child", "1", "true"), pro(1, "parent"),
                dependsOn(3, "off-child", "1", "false"));
        FlagsEvaluation pro = evaluate(flags, "pro");
        assertThat(pro.flags().get("child").enabled()).isTrue();
        assertThat(pro.flags().get("off-child").enabled()).isFalse();
        FlagsEvaluation free = evaluate(flags, "free");
        assertThat(free.flags().get("child").enabled()).isFalse();
        assertThat(free.flags().get("off-child").enabled()).isTrue();
        assertThat(free.errorsWhileComputingFlags()).isFalse();
        assertThat(pro.flags().keySet()).containsExactly("child", "parent", "off-child");
    }

    @Test
    void chainsResolveThroughEveryLevel() {
        List<FeatureFlag> flags = List.of(dependsOn(3, "grandchild", "2", "true"), dependsOn(2, "child", "1", "true"),
                pro(1, "parent"));
        assertThat(evaluate(flags, "pro").flags().get("grandchild").enabled()).isTrue();
        assertThat(evaluate(flags, "free").flags().get("grandchild").enabled()).isFalse();
    }

    @Test
    void trueMatchesAnyVariantAndAStringOnlyThatVariant() {
        List<FeatureFlag> flags = List.of(multivariate(1, "colour", "red"), dependsOn(2, "any", "1", "true"),
                dependsOn(3, "red-only", "1", "'red'"), dependsOn(4, "blue-only", "1", "'blue'"),
                dependsOn(5, "off", "1", "false"), dependsOn(6, "text-true", "1", "'true'"));
        FlagsEvaluation evaluation = evaluate(flags, "free");
        assertThat(evaluation.flags().get("any").enabled()).isTrue();
        assertThat(evaluation.flags().get("red-only").enabled()).isTrue();
        assertThat(evaluation.flags().get("blue-only").enabled()).isFalse();
        assertThat(evaluation.flags().get("off").enabled()).isFalse();
        assertThat(evaluation.flags().get("text-true").enabled()).isFalse();
    }

    @Test
    void anInactiveOrFilteredOutDependencyCountsAsFalse() {
        FeatureFlag inactive = flag("{'id': 1, 'key': 'parent', 'active': false, 'filters': {'groups': [{'rollout_percentage': 100}]}}");
        List<FeatureFlag> flags = List.of(inactive, dependsOn(2, "on-if-parent", "1", "true"),
                dependsOn(3, "on-if-not-parent", "1", "false"));
        FlagsEvaluation evaluation = evaluate(flags, "pro");
        assertThat(evaluation.flags()).doesNotContainKey("parent");
        assertThat(evaluation.flags().get("on-if-parent").enabled()).isFalse();
        assertThat(evaluation.flags().get("on-if-not-parent").enabled()).isTrue();

        FlagsEvaluation filtered = FlagMatcher.evaluateAll(List.of(pro(1, "parent"), dependsOn(2, "child", "1", "false")),
                f -> !f.key().equals("parent"), f -> true, person("u", "plan", "'pro'"));
        assertThat(filtered.flags()).containsOnlyKeys("child");
        assertThat(filtered.flags().get("child").enabled()).isTrue();
    }

    @Test
    void aMissingDependencyMakesTheFlagAndItsDependentsFalseWithMissingDependency() {
        List<FeatureFlag> flags = List.of(dependsOn(2, "orphan", "99", "true"), dependsOn(3, "orphans-child", "2", "false"),
                dependsOn(4, "by-key", "parent", "true"), pro(1, "parent"));
        FlagsEvaluation evaluation = evaluate(flags, "pro");
        for (String key : List.of("orphan", "orphans-child", "by-key")) {
            FlagResult result = evaluation.flags().get(key);
            assertThat(result.enabled()).as(key).isFalse();
            assertThat(result.reason()).as(key).isEqualTo(MatchReason.MISSING_DEPENDENCY);
            assertThat(result.conditionIndex()).as(key).isNull();
            assertThat(result.description()).isEqualTo("Flag cannot be evaluated due to missing dependency");
        }
        assertThat(evaluation.flags().get("parent").enabled()).isTrue();
        assertThat(evaluation.errorsWhileComputingFlags()).isFalse();
    }

    @Test
    void flagsInOrBehindACycleAreLeftOutAndTheResponseSaysSo() {
        List<FeatureFlag> flags = List.of(dependsOn(1, "a", "2", "true"), dependsOn(2, "b", "1", "true"),
                dependsOn(3, "behind", "2", "true"), dependsOn(4, "self", "4", "true"), pro(5, "fine"));
        FlagsEvaluation evaluation = evaluate(flags, "pro");
        assertThat(evaluation.flags()).containsOnlyKeys("fine");
        assertThat(evaluation.errorsWhileComputingFlags()).isTrue();
        assertThat(FlagDependencies.of(flags).cyclicIds()).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
    }

    @Test
    void onlyTheRequestedFlagsAreReportedButTheirDependenciesAreEvaluated() {
        List<FeatureFlag> flags = List.of(pro(1, "parent"), dependsOn(2, "child", "1", "true"), pro(3, "unrelated"));
        FlagsEvaluation evaluation = FlagMatcher.evaluateAll(flags, f -> true, f -> f.key().equals("child"),
                person("u", "plan", "'pro'"));
        assertThat(evaluation.flags()).containsOnlyKeys("child");
        assertThat(evaluation.flags().get("child").enabled()).isTrue();
    }

    @Test
    void withoutDependencyValuesAFlagFilterDoesNotMatch() {
        assertThat(FlagMatcher.evaluate(dependsOn(2, "child", "1", "false"), person("u")).enabled()).isFalse();
    }

    @Test
    void theChainListsEveryDependencyFirst() {
        FeatureFlag grandchild = dependsOn(3, "grandchild", "2", "true");
        FlagDependencies dependencies = FlagDependencies.of(List.of(pro(1, "parent"), dependsOn(2, "child", "1", "true"),
                grandchild));
        assertThat(dependencies.chain(grandchild)).containsExactly(1L, 2L);
        assertThat(dependencies.flag(2).orElseThrow().key()).isEqualTo("child");
    }
}
