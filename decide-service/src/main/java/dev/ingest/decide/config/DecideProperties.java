package dev.ingest.decide.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Everything decide-service can be told, under {@code ingest.decide}; invalid values stop it at startup.
 *
 * @param bootstrapPersonalApiKey a personal API key (phx_...) valid for every project, from configuration, so the first
 *     projects and keys can be created through the API; empty disables it
 * @param definitionsRefresh how often flag definitions are re-read per project (changes apply within this time)
 * @param maxBodySize the largest /decide or /flags request body, compressed or not
 */
@Validated
@ConfigurationProperties("ingest.decide")
public record DecideProperties(
        @DefaultValue("") String bootstrapPersonalApiKey,
        @DefaultValue("500ms") @NotNull Duration definitionsRefresh,
        @DefaultValue("1MB") @NotNull org.springframework.util.unit.DataSize maxBodySize,
        @Valid @DefaultValue Cors cors) {

    /** Cross-origin requests from browsers (posthog-js): mirrored like capture's. */
    public record Cors(@DefaultValue("true") boolean enabled) {}
}
