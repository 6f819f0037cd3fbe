package dev.ingest.decide.flags;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/**
 * {@code regex}: RE2/J (linear time) for the patterns it accepts, a backtracking engine with a budget for the rest;
 * no flags, as in PostHog's flags service.
 */
class RegexSafetyTest {

    private static boolean regex(String pattern, String value) {
        return matches(Operator.REGEX, pattern, value);
    }

    private static boolean notRegex(String pattern, String value) {
        return matches(Operator.NOT_REGEX, pattern, value);
    }

    private static boolean matches(Operator operator, String pattern, String value) {
        PropertyFilter filter = PropertyFilter.person("k", operator, StringNode.valueOf(pattern));
        Map<String, JsonNode> props = Map.of("k", StringNode.valueOf(value));
        return PropertyMatcher.matches(filter, props, FlagFixtures.NOW);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"(a+)+$", "(a|aa)+$", "(a|a?)+$", "^(([a-z])+.)+[A-Z]([a-z])+$", "(x+x+)+y"})
    void catastrophicBacktrackingPatternsFinishQuickly(String pattern) {
        String evil = "a".repeat(100_000) + "!";
        // A guard against a hang, not a speed check: an exponential search on 100,000 characters would never end.
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            regex(pattern, evil);
            regex(pattern, "x".repeat(100_000));
        });
    }

    @Test
    void theEvilPatternStillGivesTheRightAnswer() {
        assertThat(regex("^(a+)+$", "a".repeat(50_000) + "!")).isFalse();
        assertThat(regex("^(a+)+$", "a".repeat(50_000))).isTrue();
    }

    @Test
    void matchingIsCaseSensitiveAndDotStopsAtANewlineAsInPostHogsService() {
        assertThat(regex("first.second", "first\nsecond")).isFalse();
        assertThat(regex("^HELLO", "hello world")).isFalse();
        assertThat(regex("^world", "hello\nworld")).isFalse();
        assertThat(regex("(?i)^HELLO", "hello world")).isTrue();
        assertThat(regex("(?s)first.second", "first\nsecond")).isTrue();
    }

    @Test
    void aBacktrackingPatternRunsWithinItsBudgetAndIsNoAnswerBeyondIt() {
        assertThat(regex("(?<=a)b", "ab")).isTrue();
        assertThat(regex("(\\w)\\1", "hello")).isTrue();
        assertThat(regex("(a)\\1*(a+)+$", "a".repeat(10))).isTrue();
        assertThat(notRegex("(a)\\1*(a+)+$", "a".repeat(10) + "!")).isTrue();
        assertThat(regex("(a)\\1*(a+)+$", "a".repeat(40) + "!")).isFalse();
        assertThat(notRegex("(a)\\1*(a+)+$", "a".repeat(40) + "!")).isFalse();
    }
}
