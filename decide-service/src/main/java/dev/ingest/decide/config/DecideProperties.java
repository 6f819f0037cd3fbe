package dev.ingest.decide.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything decide-service can be told, under {@code ingest.decide}; invalid values stop it at startup.
 *
 * @param bootstrapPersonalApiKey a personal API key (phx_...) valid for every project, from configuration, so the first
 *     projects and keys can be created through the API; empty disables it
 * @param definitionsRefresh how often flag definitions are re-read per project (changes apply within this time)
 * @param maxBodySize the largest request body of any route (/decide, /flags, the management API), compressed or not,
 *     and the most a compressed body may inflate to
 * @param memory the in-flight memory budget, as capture's
 */
@Validated
@ConfigurationProperties("ingest.decide")
public record DecideProperties(
        @DefaultValue("") String bootstrapPersonalApiKey,
        @DefaultValue("500ms") @NotNull Duration definitionsRefresh,
        @DefaultValue("1MB") @NotNull DataSize maxBodySize,
        @Valid @DefaultValue Cors cors,
        @Valid @DefaultValue Memory memory) {

    /** Cross-origin requests from browsers (posthog-js): mirrored like capture's. */
    public record Cors(@DefaultValue("true") boolean enabled) {}

    /**
     * Requests in flight hold at most {@code heapFraction} of the heap together (more is 503 with Retry-After
     * {@code retryAfter}), one request at most {@code request} once read, decoded and parsed (more is 413); a body
     * must arrive within {@code bodyTimeout} (408).
     */
    public record Memory(
            @DefaultValue("0.4") @DecimalMin("0.01") @DecimalMax("0.9") double heapFraction,
            @DefaultValue("96MB") @NotNull DataSize request,
            @DefaultValue("30s") @NotNull Duration bodyTimeout,
            @DefaultValue("2s") @NotNull Duration retryAfter) {}
}
