package dev.ingest.decide.flags;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The hash vectors of PostHog's SDK test suites (posthog-python {@code test_feature_flags.py}), to full double precision. */
class FlagHasherTest {

    @Test
    void workedExample() {
        assertThat(FlagHasher.hash("simple-flag.", "distinct_id_0", "")).isEqualTo(0.7836963764220432);
        assertThat(FlagHasher.LONG_SCALE).isEqualTo(1152921504606846975L);
    }

    @ParameterizedTest(name = "holdout-{0} -> {1}")
    @CsvSource({
        "some_distinct_id, 0.7270002403585725",
        "test-identifier,  0.4493881716040236",
        "example_id,       0.9402003475831224",
        "example_id2,      0.6292740389966519",
    })
    void holdoutHashes(String identifier, double expected) {
        assertThat(FlagHasher.holdoutHash(identifier)).isEqualTo(expected);
        assertThat(FlagHasher.hash("holdout-", identifier, "")).isEqualTo(expected);
    }

    @ParameterizedTest(name = "new-checkout {0}")
    @CsvSource({
        "u_42,  0.6729059414944576, 0.18510865603197107",
        "u_7,   0.6953144789025082, 0.8025934176866744",
        "u_314, 0.8890033427867658, 0.9667051505877032",
    })
    void newCheckoutHashes(String distinctId, double rollout, double variant) {
        assertThat(FlagHasher.rolloutHash("new-checkout", distinctId)).isEqualTo(rollout);
        assertThat(FlagHasher.variantHash("new-checkout", distinctId)).isEqualTo(variant);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "distinct_id_0,  0.7836963764220432,  0.502037796130735,   0.6186454537930379",
        "distinct_id_1,  0.3397069926995401,  0.3180303231730598,  0.6473165157302697",
        "distinct_id_2,  0.3720434350239052,  0.35660411704312434, 0.06390106281412483",
        "distinct_id_3,  0.9076218027928112,  0.701012555518958,   0.39543050849997363",
        "distinct_id_4,  0.03958497475359249, 0.9331191986698864,  0.5492913317913782",
        "distinct_id_5,  0.9640852893503681,  0.20761564736374816, 0.6457146661614969",
        "distinct_id_6,  0.5622696776965685,  0.183992279924485,   0.3686089814153527",
        "distinct_id_7,  0.35201129342140697, 0.7517490044919383,  0.19476082862836147",
        "distinct_id_8,  0.7678233135215242,  0.9892418555541199,  0.6456350994401299",
        "distinct_id_9,  0.1425442870395506,  0.873172294020907,   0.9801222895396041",
        "distinct_id_10, 0.975627589838458,   0.42202878385846243, 0.30975326794984276",
        "distinct_id_11, 0.3148966342617237,  0.16558851395356403, 0.8935740158403065",
    })
    void hashColumnsOfTheConsistencyIds(String distinctId, double simple, double mvRollout, double mvVariant) {
        assertThat(FlagHasher.rolloutHash("simple-flag", distinctId)).isEqualTo(simple);
        assertThat(FlagHasher.rolloutHash("multivariate-flag", distinctId)).isEqualTo(mvRollout);
        assertThat(FlagHasher.variantHash("multivariate-flag", distinctId)).isEqualTo(mvVariant);
    }

    @Test
    void hashIsInTheUnitInterval() {
        for (int i = 0; i < 2_000; i++) {
            assertThat(FlagHasher.hash("any.", "id-" + i, "")).isBetween(0.0, 1.0);
        }
    }

    @Test
    void nonAsciiIdentifiersAreHashedAsUtf8() {
        // Expected values computed with Python's int(sha1(s.encode("utf-8")).hexdigest()[:15], 16) / LONG_SCALE.
        assertThat(FlagHasher.rolloutHash("f", "\u00fc")).isEqualTo(0.1282133864301639);
        assertThat(FlagHasher.rolloutHash("f", "\u7528\u6237")).isEqualTo(0.44529006319954934);
    }
}
