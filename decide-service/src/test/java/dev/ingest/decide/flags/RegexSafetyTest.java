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

/** {@code regex} runs on RE2/J: linear time, case-insensitive, DOTALL. */
class RegexSafetyTest {

    private static boolean regex(String pattern, String value) {
        PropertyFilter filter = PropertyFilter.person("k", Operator.REGEX, StringNode.valueOf(pattern));
        Map<String, JsonNode> props = Map.of("k", StringNode.valueOf(value));
        return PropertyMatcher.matches(filter, props, FlagFixtures.NOW);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"(a+)+$", "(a|aa)+$", "(a|a?)+$", "^(([a-z])+.)+[A-Z]([a-z])+$", "(x+x+)+y"})
    void catastrophicBacktrackingPatternsFinishQuickly(String pattern) {
        String evil = "a".repeat(100_000) + "!";
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
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
    void dotMatchesNewlinesAndCaseIsIgnored() {
        assertThat(regex("first.second", "first\nsecond")).isTrue();
        assertThat(regex("^HELLO", "hello world")).isTrue();
        assertThat(regex("^world", "hello\nworld")).isFalse();
    }
}
