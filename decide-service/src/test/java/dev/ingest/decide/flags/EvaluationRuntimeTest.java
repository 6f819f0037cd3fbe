package dev.ingest.decide.flags;

import static dev.ingest.decide.flags.FlagFixtures.flag;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which runtime a request is, and which flags it is served, as PostHog's flags service decides. */
class EvaluationRuntimeTest {

    @ParameterizedTest(name = "runtime {0}, User-Agent {1}, browser headers {2} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "NONE", textBlock = """
            server | Mozilla/5.0 (X11) Chrome/120             | true  | server
            all    | posthog-node/5.70.0                      | false | all
            weird  | NONE                                     | false | all
            NONE   | Mozilla/5.0 (X11; Linux) Chrome/120      | false | client
            NONE   | posthog-node/5.70.0                      | false | server
            NONE   | posthog-java/3.1.0                       | false | server
            NONE   | posthog-python/7.42.0                    | true  | server
            NONE   | curl/8.5.0                               | false | server
            NONE   | python-requests/2.31                     | false | server
            NONE   | posthog-android/3.0.0                    | false | client
            NONE   | posthog-react-native/4.0                 | false | client
            NONE   | my-app/1.0 posthog-node/5                | false | NONE
            NONE   | Java-http-client/25                      | true  | client
            NONE   | Java-http-client/25                      | false | NONE
            NONE   | NONE                                     | false | NONE
            """)
    void theRequestsRuntime(String explicit, String userAgent, boolean browserHeaders, String expected) {
        assertThat(EvaluationRuntime.of(new EvaluationRuntime.RequestSignals(explicit, userAgent, browserHeaders)))
                .isEqualTo(Optional.ofNullable(expected));
    }

    @ParameterizedTest(name = "flag runtime {0}, request {1} -> served {2}")
    @CsvSource(delimiter = '|', nullValues = "NONE", textBlock = """
            NONE   | NONE   | true
            all    | NONE   | true
            server | NONE   | false
            server | server | true
            server | client | false
            server | all    | true
            client | client | true
            client | server | false
            all    | client | true
            """)
    void whichFlagsARuntimeIsServed(String flagRuntime, String requestRuntime, boolean served) {
        FeatureFlag flag = flag("{'key': 'f', 'evaluation_runtime': " + (flagRuntime == null ? "null" : "'" + flagRuntime + "'")
                + ", 'filters': {'groups': []}}");
        assertThat(EvaluationRuntime.serves(flag, Optional.ofNullable(requestRuntime))).isEqualTo(served);
    }
}
