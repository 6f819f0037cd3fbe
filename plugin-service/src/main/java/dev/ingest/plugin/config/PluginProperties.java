package dev.ingest.plugin.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** Everything plugin-service can be told, under {@code ingest.plugin}; invalid values stop it at startup. */
@Validated
@ConfigurationProperties("ingest.plugin")
public record PluginProperties(@Valid @NotNull Lanes lanes, @Valid @NotNull Kafka kafka) {
    public PluginProperties(@DefaultValue Lanes lanes, @DefaultValue Kafka kafka) {
        this.lanes = lanes;
        this.kafka = kafka;
    }

    /**
     * The three input lanes, consumed by separate listener containers so historical imports and hot keys never
     * delay live traffic. {@code concurrency} is the number of consumer threads of a lane (0 turns it off).
     */
    public record Lanes(
            @DefaultValue("events_plugin_ingestion") @NotBlank String mainTopic,
            @DefaultValue("2") @Min(0) @Max(64) int mainConcurrency,
            @DefaultValue("events_plugin_ingestion_overflow") @NotBlank String overflowTopic,
            @DefaultValue("1") @Min(0) @Max(64) int overflowConcurrency,
            @DefaultValue("events_plugin_ingestion_historical") @NotBlank String historicalTopic,
            @DefaultValue("1") @Min(0) @Max(64) int historicalConcurrency) {}

    /**
     * @param dlqTopic where messages go that a step could not process
     * @param groupId the consumer group of all lanes
     * @param produceTimeout how long a batch waits for its records' acknowledgements before it is retried
     * @param retryBackoffMax the longest pause between retries of a batch while a dependency is down
     */
    public record Kafka(@DefaultValue("events_plugin_ingestion_dlq") @NotBlank String dlqTopic,
            @DefaultValue("ingestion-plugin-service") @NotBlank String groupId,
            @DefaultValue("30s") @NotNull Duration produceTimeout,
            @DefaultValue("30s") @NotNull Duration retryBackoffMax) {}
}
