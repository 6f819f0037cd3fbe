package dev.ingest.decide.flags;

import static dev.ingest.decide.flags.FlagFixtures.flag;
import static dev.ingest.decide.flags.FlagFixtures.person;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PostHog's consistency vectors: simple-flag over 1,000 ids (posthog-python's {@code test_simple_flag_consistency}) and the first
 * 12 ids, with posthog-python's {@code multivariate-flag}, as posthog-python's tests define it).
 */
class ConsistencyVectorsTest {
    /** Character i is 1 when simple-flag is enabled for distinct_id_i. */
    private static final String EXPECTED_BITS = String.join(
            "",
            "0110100101011010001101001011000111100000011011000110000101010110101011001001010010001101101111101100",
            "1111001011100000100111001010010000000011001001100101011100010000110110101101011101001101011001111011",
            "0010100110101000000010110010100010100010010110000100000000000001101011010100011110000011100110000010",
            "1111011100101001110100011010101111100101011101011011111000001010011000101111000011001101111011100110",
            "0100100000000001100100101001000000100000000011100010100010000000100000000101011100011101011000100001",
            "0101101000100110100000011001001110001000010100010110101010010010101010011110100000100100110000111001",
            "0011110001000100111100110101001101111001001101010010000111010010010000101011001011100001101000100001",
            "1100011110110111010010111101010100110010100001010001110001011000001010011011110010010101100010110001",
            "0101101001000111000001001111100000000111001101101010001001001111001011001001101001110000010100000110",
            "1110000111101101010100001111001011000000101011001111001011001110100110001001000111101010101001001011");

    static final FeatureFlag SIMPLE_FLAG = flag("""
            {'id': 1, 'name': 'Beta Feature', 'key': 'simple-flag', 'active': true,
             'filters': {'groups': [{'properties': [], 'rollout_percentage': 45}]}}""");

    /**
     * posthog-python {@code test_multivariate_flag_consistency}: 55% rollout, variants 50/20/20/5/5. The rows
     * pin it down: variant hash 0.6186 is second-variant ([0.5, 0.7)), 0.8936 third-variant ([0.7, 0.9)).
     */
    static final FeatureFlag MULTIVARIATE_FLAG = flag("""
            {'id': 1, 'name': 'Beta Feature', 'key': 'multivariate-flag', 'active': true,
             'filters': {'groups': [{'properties': [], 'rollout_percentage': 55}],
                         'multivariate': {'variants': [
                             {'key': 'first-variant', 'name': 'First Variant', 'rollout_percentage': 50},
                             {'key': 'second-variant', 'name': 'Second Variant', 'rollout_percentage': 20},
                             {'key': 'third-variant', 'name': 'Third Variant', 'rollout_percentage': 20},
                             {'key': 'fourth-variant', 'name': 'Fourth Variant', 'rollout_percentage': 5},
                             {'key': 'fifth-variant', 'name': 'Fifth Variant', 'rollout_percentage': 5}]}}}""");

    @Test
    void theExpectedBitStringIsTheOneOfTheVectors() throws Exception {
        assertThat(EXPECTED_BITS).hasSize(1000).matches("[01]+");
        assertThat(EXPECTED_BITS.chars().filter(c -> c == '1').count()).isEqualTo(446);
        byte[] sha256 = MessageDigest.getInstance("SHA-256").digest(EXPECTED_BITS.getBytes(StandardCharsets.US_ASCII));
        assertThat(HexFormat.of().formatHex(sha256)).startsWith("e8d170e18078f6c8");
    }

    static Stream<Arguments> thousandIds() {
        return IntStream.range(0, 1000).mapToObj(i -> Arguments.of("distinct_id_" + i, EXPECTED_BITS.charAt(i) == '1'));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("thousandIds")
    void simpleFlagConsistency(String distinctId, boolean expected) {
        FlagResult result = FlagMatcher.evaluate(SIMPLE_FLAG, person(distinctId));
        assertThat(result.enabled()).isEqualTo(expected);
        assertThat(result.variant()).isNull();
        assertThat(result.reason()).isEqualTo(expected ? MatchReason.CONDITION_MATCH : MatchReason.OUT_OF_ROLLOUT_BOUND);
        assertThat(result.conditionIndex()).isZero();
    }

    @Test
    void allThousandTogetherGive446Trues() {
        StringBuilder bits = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            bits.append(FlagMatcher.evaluate(SIMPLE_FLAG, person("distinct_id_" + i)).enabled() ? '1' : '0');
        }
        assertThat(bits.toString()).isEqualTo(EXPECTED_BITS);
        assertThat(bits.chars().filter(c -> c == '1').count()).isEqualTo(446);
    }

    @ParameterizedTest(name = "{0}: simple={1}, mv={2}")
    @CsvSource({
        "distinct_id_0,  false, second-variant",
        "distinct_id_1,  true,  second-variant",
        "distinct_id_2,  true,  first-variant",
        "distinct_id_3,  false, false",
        "distinct_id_4,  true,  false",
        "distinct_id_5,  false, second-variant",
        "distinct_id_6,  false, first-variant",
        "distinct_id_7,  true,  false",
        "distinct_id_8,  false, false",
        "distinct_id_9,  true,  false",
        "distinct_id_10, false, first-variant",
        "distinct_id_11, true,  third-variant",
    })
    void firstTwelveConsistencyIds(String distinctId, boolean simple, String multivariate) {
        assertThat(FlagMatcher.evaluate(SIMPLE_FLAG, person(distinctId)).enabled()).isEqualTo(simple);

        FlagResult result = FlagMatcher.evaluate(MULTIVARIATE_FLAG, person(distinctId));
        if (multivariate.equals("false")) {
            assertThat(result.enabled()).isFalse();
            assertThat(result.variant()).isNull();
            assertThat(result.reason()).isEqualTo(MatchReason.OUT_OF_ROLLOUT_BOUND);
        } else {
            assertThat(result.enabled()).isTrue();
            assertThat(result.variant()).isEqualTo(multivariate);
            assertThat(result.value().stringValue()).isEqualTo(multivariate);
        }
    }
}
