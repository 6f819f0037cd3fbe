package dev.ingest.capture.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.capture.config.CaptureProperties;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The lanes of docs/posthog-compatibility.md#capture-message-and-routing, with the historical-config vectors of
 * capture-rs's {@code test_historical_config_handles_tokens_key_routing_correctly}
 * ({@code rust/capture/src/router.rs}).
 */
class TopicRouterTest {
    private static final CaptureProperties.Topics TOPICS =
            new CaptureProperties.Topics("main_topic", "overflow_topic", "historical_topic", "unverified_topic");

    private final AtomicLong nanos = new AtomicLong();

    private TopicRouter router(OverflowLimiter limiter, String... historicalConfig) {
        return new TopicRouter(TOPICS, limiter, List.of(historicalConfig));
    }

    private OverflowLimiter limiter(int burst, String... forced) {
        return new OverflowLimiter(1, burst, Set.of(forced), nanos::get);
    }

    @ParameterizedTest(name = "key \"{0}\" rerouted: {1}")
    @CsvSource({
        "token3:user3, false",
        "token4, false",
        "token2:user2, true",
        "token2:user7, false",
        "token1:user1, true",
        "token1:user2, true",
        "token1, true",
        "'', false"
    })
    void reroutesHistoricalConfigTokensAndKeys(String key, boolean rerouted) {
        TopicRouter router = router(null, "token1,token2:user2,");

        Destination destination = router.route(key.contains(":") ? key.substring(0, key.indexOf(':')) : key, key,
                false, true);

        assertThat(destination.lane()).isEqualTo(rerouted ? Destination.Lane.HISTORICAL : Destination.Lane.MAIN);
        assertThat(destination.topic()).isEqualTo(rerouted ? "historical_topic" : "main_topic");
        assertThat(destination.key()).isEqualTo(key);
        assertThat(router.isHistorical(key)).isEqualTo(rerouted);
    }

    @Test
    void readsHistoricalConfigFromSeveralEntriesWithSpaces() {
        TopicRouter router = router(null, " tokenA , ", "tokenB:user1");

        assertThat(router.isHistorical("tokenA:x")).isTrue();
        assertThat(router.isHistorical("tokenB:user1")).isTrue();
        assertThat(router.isHistorical("tokenB:user2")).isFalse();
        assertThat(router.isHistorical(null)).isFalse();
    }

    @Test
    void sendsHistoricalMigrationBatchToHistoricalTopicKeyed() {
        Destination destination = router(null).route("t", "t:d", true, true);

        assertThat(destination).isEqualTo(new Destination("historical_topic", "t:d", Destination.Lane.HISTORICAL));
    }

    @Test
    void neverOverflowsHistoricalEvents() {
        TopicRouter router = router(limiter(1, "t:forced"), "t2");

        assertThat(router.route("t", "t:forced", true, true).lane()).isEqualTo(Destination.Lane.HISTORICAL);
        assertThat(router.route("t2", "t2:a", false, true).lane()).isEqualTo(Destination.Lane.HISTORICAL);
        assertThat(router.route("t2", "t2:a", false, true).lane()).isEqualTo(Destination.Lane.HISTORICAL);
    }

    @Test
    void sendsLimitedKeyToOverflowTopicWithoutKey() {
        TopicRouter router = router(limiter(1));

        assertThat(router.route("t", "t:d", false, true))
                .isEqualTo(new Destination("main_topic", "t:d", Destination.Lane.MAIN));
        assertThat(router.route("t", "t:d", false, true))
                .isEqualTo(new Destination("overflow_topic", null, Destination.Lane.OVERFLOW));
    }

    @Test
    void sendsForcedKeyToOverflowFromTheFirstEvent() {
        TopicRouter router = router(limiter(100, "t:hot"));

        assertThat(router.route("t", "t:hot", false, true).lane()).isEqualTo(Destination.Lane.OVERFLOW);
        assertThat(router.route("t", "t:cold", false, true).lane()).isEqualTo(Destination.Lane.MAIN);
    }

    @Test
    void routesEverythingToMainWithoutLimiter() {
        TopicRouter router = router(null);

        for (int i = 0; i < 100; i++) {
            assertThat(router.route("t", "t:d", false, true).lane()).isEqualTo(Destination.Lane.MAIN);
        }
    }

    @Test
    void parksUnverifiedTokensKeyed() {
        TopicRouter router = router(limiter(1, "t:d"), "t");

        assertThat(router.route("t", "t:d", true, false))
                .isEqualTo(new Destination("unverified_topic", "t:d", Destination.Lane.UNVERIFIED_TOKEN));
    }
}
