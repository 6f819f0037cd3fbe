package dev.ingest.capture.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

/** How {@code ingest.capture} binds: every default, and every key set the way an environment variable sets it. */
class CapturePropertiesTest {
    private static CaptureProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("ingest.capture", CaptureProperties.class);
    }

    @Test
    void defaults() {
        CaptureProperties properties = bind(Map.of());

        assertThat(properties.limits()).isEqualTo(new CaptureProperties.Limits(DataSize.ofMegabytes(2),
                DataSize.ofMegabytes(20), DataSize.ofMegabytes(20), DataSize.ofBytes(1_000_000), Duration.ofSeconds(30)));
        assertThat(properties.memory()).isEqualTo(new CaptureProperties.Memory(0.4, DataSize.ofMegabytes(128),
                Duration.ofSeconds(2), DataSize.ofMegabytes(1), 2, Duration.ofSeconds(10)));
        assertThat(properties.kafka().produceTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(properties.historicalOlderThan()).as("off, as in PostHog's capture").isZero();
        assertThat(properties.historicalTokens()).isEmpty();
        assertThat(properties.restrictions().refresh()).isEqualTo(Duration.ofSeconds(5));
        assertThat(properties.warnings().window()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void restrictionsAndWarningsCanBeTunedButNotTurnedToZero() {
        CaptureProperties properties = bind(Map.of("ingest.capture.restrictions.refresh", "2s",
                "ingest.capture.warnings.window", "10m"));
        assertThat(properties.restrictions().refresh()).isEqualTo(Duration.ofSeconds(2));
        assertThat(properties.warnings().window()).isEqualTo(Duration.ofMinutes(10));
        Assertions.assertThatThrownBy(() -> bind(Map.of("ingest.capture.warnings.window", "0s")))
                .hasStackTraceContaining("warnings.window must be positive");
    }

    @Test
    void theHistoricalLaneCanTakeOldEventsAndNamedTokens() {
        CaptureProperties properties = bind(Map.of("ingest.capture.historical-older-than", "1d",
                "ingest.capture.historical-tokens", "phc_a,phc_b:user-1"));

        assertThat(properties.historicalOlderThan()).isEqualTo(Duration.ofDays(1));
        assertThat(properties.historicalTokens()).containsExactly("phc_a", "phc_b:user-1");
    }

    @Test
    void everyLimitAndTheMemoryBudgetCanBeSet() {
        CaptureProperties properties = bind(Map.ofEntries(Map.entry("ingest.capture.memory.large-request-wait", "1s"),
                Map.entry("ingest.capture.limits.event-body", "1MB"), Map.entry("ingest.capture.limits.batch-body", "10MB"),
                Map.entry("ingest.capture.limits.decompressed", "30MB"), Map.entry("ingest.capture.limits.event", "500000B"),
                Map.entry("ingest.capture.limits.body-timeout", "10s"), Map.entry("ingest.capture.memory.heap-fraction", "0.25"),
                Map.entry("ingest.capture.memory.request", "64MB"), Map.entry("ingest.capture.memory.retry-after", "5s"),
                Map.entry("ingest.capture.memory.large-request", "512KB"),
                Map.entry("ingest.capture.memory.large-requests", "3")));

        assertThat(properties.limits()).isEqualTo(new CaptureProperties.Limits(DataSize.ofMegabytes(1),
                DataSize.ofMegabytes(10), DataSize.ofMegabytes(30), DataSize.ofBytes(500_000), Duration.ofSeconds(10)));
        assertThat(properties.memory()).isEqualTo(new CaptureProperties.Memory(0.25, DataSize.ofMegabytes(64),
                Duration.ofSeconds(5), DataSize.ofKilobytes(512), 3, Duration.ofSeconds(1)));
    }
}
