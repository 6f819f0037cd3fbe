package dev.ingest.common.warning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One warning when a key first happens, then one per window with the count; nothing goes uncounted. */
class WarningWindowsTest {
    private static final WarningWindows.Key RESTRICTION = new WarningWindows.Key("phc_a", "event_dropped", "7");

    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-02T10:00:00Z"));
    private final WarningWindows windows = new WarningWindows(Duration.ofMinutes(1), 2, clock);

    @Test
    void theFirstOccurrenceIsSentAtOnceAndTheRestWithTheirCountWhenTheWindowEnds() {
        assertThat(windows.record(RESTRICTION, Map.of("n", 1))).hasValueSatisfying(w -> assertThat(w.count()).isOne());
        for (int n = 2; n <= 5; n++) {
            assertThat(windows.record(RESTRICTION, Map.of("n", n))).isEmpty();
        }
        clock.advance(Duration.ofSeconds(59));
        assertThat(windows.due()).isEmpty();

        clock.advance(Duration.ofSeconds(1));
        assertThat(windows.due()).singleElement().satisfies(w -> {
            assertThat(w.count()).isEqualTo(4);
            assertThat(w.details()).containsEntry("n", 5);
            assertThat(w.from()).isEqualTo(Instant.parse("2026-12-02T10:00:00Z"));
            assertThat(w.to()).isEqualTo(Instant.parse("2026-12-02T10:01:00Z"));
        });
        assertThat(windows.due()).as("nothing twice").isEmpty();
    }

    @Test
    void aQuietWindowClosesSoTheNextOccurrenceIsSentAtOnce() {
        windows.record(RESTRICTION, Map.of());
        clock.advance(Duration.ofMinutes(1));
        assertThat(windows.due()).isEmpty();
        assertThat(windows.record(RESTRICTION, Map.of())).isPresent();
    }

    @Test
    void keysAreCountedApartAndBeyondTheCapOnlyInTheUncountedTotal() {
        assertThat(windows.record(RESTRICTION, Map.of())).isPresent();
        assertThat(windows.record(new WarningWindows.Key("phc_b", "event_dropped", "7"), Map.of())).isPresent();
        assertThat(windows.record(new WarningWindows.Key("phc_c", "event_dropped", "7"), Map.of())).isEmpty();
        assertThat(windows.uncounted()).isOne();
    }
}
