package dev.ingest.plugin.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

/** How {@code ingest.plugin.js} and the destinations' secret key bind: defaults, a full mapping, a refused value. */
class PluginPropertiesTest {
    private static PluginProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("ingest.plugin", PluginProperties.class);
    }

    @Test
    void javaScriptDefaults() {
        PluginProperties properties = bind(Map.of());

        assertThat(properties.js()).isEqualTo(new PluginProperties.Js(DataSize.ofMegabytes(256), Duration.ofMillis(100),
                1_000_000, Duration.ofSeconds(60), 5, Duration.ofMinutes(10)));
        assertThat(properties.destinations().secretKey()).isEmpty();
    }

    @Test
    void everyJavaScriptLimitCanBeSetAndTheSecretKeyIsNeverPrinted() {
        PluginProperties properties = bind(Map.of("ingest.plugin.js.worker-heap", "128MB", "ingest.plugin.js.timeout", "50ms",
                "ingest.plugin.js.statement-limit", "5000", "ingest.plugin.js.load-timeout", "20s",
                "ingest.plugin.js.max-failures", "3", "ingest.plugin.js.failure-window", "1m",
                "ingest.plugin.destinations.secret-key", "s3cr3t"));

        assertThat(properties.js()).isEqualTo(new PluginProperties.Js(DataSize.ofMegabytes(128), Duration.ofMillis(50), 5000,
                Duration.ofSeconds(20), 3, Duration.ofMinutes(1)));
        assertThat(properties.destinations().secretKey()).isEqualTo("s3cr3t");
        assertThat(properties.destinations().toString()).doesNotContain("s3cr3t");
    }

    @Test
    void aTimeoutOverOneSecondIsRefused() {
        assertThatThrownBy(() -> bind(Map.of("ingest.plugin.js.timeout", "2s"))).isInstanceOf(BindException.class);
    }

    @Test
    void definitionsDefaultsAndMapping() {
        assertThat(bind(Map.of()).definitions()).isEqualTo(new PluginProperties.Definitions(true, 200_000));
        assertThat(bind(Map.of("ingest.plugin.definitions.enabled", "false", "ingest.plugin.definitions.cache-size", "5000"))
                .definitions()).isEqualTo(new PluginProperties.Definitions(false, 5000));
        assertThatThrownBy(() -> bind(Map.of("ingest.plugin.definitions.cache-size", "10"))).isInstanceOf(BindException.class);
    }

    @Test
    void squashDefaultsAndMapping() {
        PluginProperties.Squash defaults = bind(Map.of()).squash();
        assertThat(defaults).isEqualTo(new PluginProperties.Squash(true, Duration.ofHours(1), Duration.ofHours(1),
                Duration.ofMinutes(10), 100_000, List.of(), "posthog"));
        assertThat(defaults.runs()).as("no ClickHouse named, no squash").isFalse();
        PluginProperties.Squash set = bind(Map.of("ingest.plugin.squash.interval", "5m", "ingest.plugin.squash.grace", "0s",
                "ingest.plugin.squash.mutation-timeout", "1m", "ingest.plugin.squash.max-overrides", "10",
                "ingest.plugin.squash.clickhouse-urls", "http://a:8123,http://b:8123", "ingest.plugin.squash.database", "ph"))
                .squash();
        assertThat(set).isEqualTo(new PluginProperties.Squash(true, Duration.ofMinutes(5), Duration.ZERO, Duration.ofMinutes(1),
                10, List.of(URI.create("http://a:8123"), URI.create("http://b:8123")), "ph"));
        assertThat(set.runs()).isTrue();
        assertThatThrownBy(() -> bind(Map.of("ingest.plugin.squash.interval", "0s"))).isInstanceOf(BindException.class);
    }
}
