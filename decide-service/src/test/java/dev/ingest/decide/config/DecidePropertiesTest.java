package dev.ingest.decide.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

/** How {@code ingest.decide} binds: every default, and every key set the way an environment variable sets it. */
class DecidePropertiesTest {
    private static DecideProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("ingest.decide", DecideProperties.class);
    }

    @Test
    void defaults() {
        DecideProperties properties = bind(Map.of());

        assertThat(properties.bootstrapPersonalApiKey()).isEmpty();
        assertThat(properties.definitionsRefresh()).isEqualTo(Duration.ofMillis(500));
        assertThat(properties.maxBodySize()).isEqualTo(DataSize.ofMegabytes(1));
        assertThat(properties.cors().enabled()).isTrue();
        assertThat(properties.memory()).isEqualTo(new DecideProperties.Memory(0.4, DataSize.ofMegabytes(96),
                Duration.ofSeconds(30), Duration.ofSeconds(2)));
    }

    @Test
    void everyKeyCanBeSet() {
        DecideProperties properties = bind(Map.of(
                "ingest.decide.bootstrap-personal-api-key", "phx_bootstrap",
                "ingest.decide.definitions-refresh", "2s",
                "ingest.decide.max-body-size", "512KB",
                "ingest.decide.cors.enabled", "false",
                "ingest.decide.memory.heap-fraction", "0.25",
                "ingest.decide.memory.request", "32MB",
                "ingest.decide.memory.body-timeout", "10s",
                "ingest.decide.memory.retry-after", "5s"));

        assertThat(properties).isEqualTo(new DecideProperties("phx_bootstrap", Duration.ofSeconds(2),
                DataSize.ofKilobytes(512), new DecideProperties.Cors(false),
                new DecideProperties.Memory(0.25, DataSize.ofMegabytes(32), Duration.ofSeconds(10), Duration.ofSeconds(5))));
    }
}
