package dev.ingest.capture.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The vectors of capture-rs's own tests ({@code low_limits}, {@code bursting}, {@code forced_key} in
 * {@code rust/capture/src/limiters/overflow.rs}), with a fake clock so no real time passes.
 */
class OverflowLimiterTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private OverflowLimiter limiter(double perSecond, int burst, String... forced) {
        return new OverflowLimiter(perSecond, burst, Set.of(forced), nanos::get);
    }

    private void advanceMillis(long millis) {
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    void limitsSecondCallWithBurstOfOne() {
        OverflowLimiter limiter = limiter(1, 1);

        assertThat(limiter.isLimited("token:id")).isFalse();
        assertThat(limiter.isLimited("token:id")).isTrue();
    }

    @Test
    void limitsFourthCallWithBurstOfThree() {
        OverflowLimiter limiter = limiter(1, 3);

        assertThat(limiter.isLimited("token:id")).isFalse();
        assertThat(limiter.isLimited("token:id")).isFalse();
        assertThat(limiter.isLimited("token:id")).isFalse();
        assertThat(limiter.isLimited("token:id")).isTrue();
    }

    @Test
    void limitsForcedKeysFromTheirFirstCall() {
        OverflowLimiter limiter = limiter(1, 1, "one", "three");

        assertThat(limiter.isLimited("one")).isTrue();
        assertThat(limiter.isLimited("three")).isTrue();
        assertThat(limiter.isLimited("two")).isFalse();
        assertThat(limiter.isLimited("two")).isTrue();
    }

    @Test
    void keepsForcedKeysLimitedWhateverTimePasses() {
        OverflowLimiter limiter = limiter(1000, 1000, "one");
        advanceMillis(60_000);

        assertThat(limiter.isLimited("one")).isTrue();
    }

    @Test
    void keepsABucketPerKey() {
        OverflowLimiter limiter = limiter(1, 1);

        assertThat(limiter.isLimited("t:a")).isFalse();
        assertThat(limiter.isLimited("t:b")).isFalse();
        assertThat(limiter.isLimited("t:a")).isTrue();
        assertThat(limiter.isLimited("t:b")).isTrue();
    }

    @Test
    void refillsAtTheConfiguredRate() {
        OverflowLimiter limiter = limiter(2, 1);
        assertThat(limiter.isLimited("k")).isFalse();
        assertThat(limiter.isLimited("k")).isTrue();

        advanceMillis(499);
        assertThat(limiter.isLimited("k")).isTrue();
        advanceMillis(1);
        assertThat(limiter.isLimited("k")).isFalse();
        assertThat(limiter.isLimited("k")).isTrue();
    }

    @Test
    void neverRefillsBeyondTheBurst() {
        OverflowLimiter limiter = limiter(10, 3);
        advanceMillis(3_600_000);

        for (int i = 0; i < 3; i++) {
            assertThat(limiter.isLimited("k")).isFalse();
        }
        assertThat(limiter.isLimited("k")).isTrue();
    }

    @Test
    void allowsTheSustainedRate() {
        OverflowLimiter limiter = limiter(1, 1);

        for (int second = 0; second < 10; second++) {
            assertThat(limiter.isLimited("k")).as("second %d", second).isFalse();
            advanceMillis(1000);
        }
    }

    @Test
    void rejectsNonPositiveSettings() {
        assertThatThrownBy(() -> limiter(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> limiter(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
