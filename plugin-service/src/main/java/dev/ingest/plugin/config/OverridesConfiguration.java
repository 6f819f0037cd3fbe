package dev.ingest.plugin.config;

import dev.ingest.clickhouse.client.ClickHouseCredentials;
import dev.ingest.clickhouse.client.ClickHouseHttpClient;
import dev.ingest.clickhouse.overrides.PersonOverridesSquash;
import dev.ingest.plugin.person.overrides.OverridesSquashScheduler;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The scheduled squash of person overrides, where ClickHouse nodes are configured ({@link PluginProperties.Squash}). */
@Configuration(proxyBeanMethods = false)
public class OverridesConfiguration {
    private static final Logger log = LoggerFactory.getLogger(OverridesConfiguration.class);

    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("${ingest.plugin.squash.enabled:true} && '${ingest.plugin.squash.clickhouse-urls:}' != ''")
    OverridesSquashScheduler overridesSquashScheduler(PluginProperties properties, MeterRegistry metrics) {
        PluginProperties.Squash settings = properties.squash();
        ClickHouseCredentials credentials = ClickHouseCredentials.fromEnvironment();
        List<ClickHouseHttpClient> nodes = settings.clickhouseUrls().stream()
                .map(url -> new ClickHouseHttpClient(url, Duration.ofMinutes(2), credentials)).toList();
        OverridesSquashScheduler scheduler = new OverridesSquashScheduler(new PersonOverridesSquash(nodes,
                settings.database(), settings.grace(), settings.mutationTimeout(), settings.maxOverrides(), log::info),
                settings.interval());
        FunctionCounter.builder("ingest_plugin_person_overrides_squashed", scheduler, OverridesSquashScheduler::squashed)
                .register(metrics);
        FunctionCounter.builder("ingest_plugin_person_overrides_squash_failures", scheduler,
                OverridesSquashScheduler::failures).register(metrics);
        return scheduler;
    }
}
