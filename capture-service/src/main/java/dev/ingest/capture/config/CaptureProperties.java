package dev.ingest.capture.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Everything capture-service can be told, under {@code ingest.capture}. Environment variables bind through Spring's
 * relaxed binding ({@code INGEST_CAPTURE_LIMITS_BATCH_BODY=40MB}). Invalid values stop the service at startup.
 */
@Validated
@ConfigurationProperties("ingest.capture")
public record CaptureProperties(@Valid @NotNull Topics topics, @Valid @NotNull Limits limits,
        @Valid @NotNull Memory memory, @Valid @NotNull Kafka kafka, @Valid @NotNull Tokens tokens, @Valid @NotNull Overflow overflow,
        @NotNull List<String> trustedProxies, @NotNull List<String> historicalTokens, @NotNull Duration historicalOlderThan,
        @Valid @NotNull Restrictions restrictions, @Valid @NotNull Warnings warnings) {

    public CaptureProperties(@DefaultValue Topics topics, @DefaultValue Limits limits, @DefaultValue Memory memory,
            @DefaultValue Kafka kafka,
            @DefaultValue Tokens tokens, @DefaultValue Overflow overflow,
            @DefaultValue({"127.0.0.1", "::1", "0:0:0:0:0:0:0:1"}) List<String> trustedProxies,
            @DefaultValue({}) List<String> historicalTokens,
            @DefaultValue("0s") Duration historicalOlderThan,
            @DefaultValue Restrictions restrictions, @DefaultValue Warnings warnings) {
        this.restrictions = restrictions;
        this.warnings = warnings;
        this.topics = topics;
        this.limits = limits;
        this.memory = memory;
        this.kafka = kafka;
        this.tokens = tokens;
        this.overflow = overflow;
        this.trustedProxies = List.copyOf(trustedProxies);
        this.historicalTokens = List.copyOf(historicalTokens);
        if (historicalOlderThan.isNegative()) {
            throw new IllegalArgumentException("ingest.capture.historical-older-than must not be negative");
        }
        this.historicalOlderThan = historicalOlderThan;
    }

    /** Event restrictions (table {@code event_restriction}) are re-read this often. */
    public record Restrictions(@DefaultValue("5s") @NotNull Duration refresh) {
        public Restrictions {
            if (refresh.isNegative() || refresh.isZero()) {
                throw new IllegalArgumentException("ingest.capture.restrictions.refresh must be positive");
            }
        }
    }

    /**
     * Capture's own ingestion warnings: one when a kind first happens for a project, then at most one per
     * {@code window} with the count since the last.
     */
    public record Warnings(@DefaultValue("1m") @NotNull Duration window) {
        public Warnings {
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("ingest.capture.warnings.window must be positive");
            }
        }
    }

    /** Where accepted events go. */
    public record Topics(
            @DefaultValue("events_plugin_ingestion") @NotBlank String main,
            @DefaultValue("events_plugin_ingestion_overflow") @NotBlank String overflow,
            @DefaultValue("events_plugin_ingestion_historical") @NotBlank String historical,
            @DefaultValue("capture_events_dead_letter") @NotBlank String unverified) {}

    /** Request and event size caps; each is answered 413 with a JSON error naming it. */
    public record Limits(
            @DefaultValue("2MB") @NotNull DataSize eventBody,
            @DefaultValue("20MB") @NotNull DataSize batchBody,
            @DefaultValue("20MB") @NotNull DataSize decompressed,
            @DefaultValue("1000000B") @NotNull DataSize event,
            @DefaultValue("30s") @NotNull Duration bodyTimeout) {}

    /**
     * The in-flight memory budget: requests being read, decoded, parsed and sent hold at most {@code heapFraction} of
     * the heap together (more is answered 503 with Retry-After {@code retryAfter}), and one request at most
     * {@code request} (more is 413). Requests whose decoded JSON is over {@code largeRequest} are parsed at most
     * {@code largeRequests} at a time, on threads of their own, so that they cannot take the CPU from the small ones;
     * one that finds them all busy waits up to {@code largeRequestWait} for one (then 503).
     */
    public record Memory(
            @DefaultValue("0.4") @DecimalMin("0.01") @DecimalMax("0.9") double heapFraction,
            @DefaultValue("128MB") @NotNull DataSize request,
            @DefaultValue("2s") @NotNull Duration retryAfter,
            @DefaultValue("1MB") @NotNull DataSize largeRequest,
            @DefaultValue("2") @Positive int largeRequests,
            @DefaultValue("10s") @NotNull Duration largeRequestWait) {}

    /** How long a request may wait for Kafka before it is answered 503 (never a hang, never a 200). */
    public record Kafka(@DefaultValue("5s") @NotNull Duration produceTimeout) {}

    /** Token cache: known tokens are trusted for {@code knownTtl}, unknown ones are asked again after {@code unknownTtl}. */
    public record Tokens(@DefaultValue("5m") @NotNull Duration knownTtl, @DefaultValue("2s") @NotNull Duration unknownTtl) {}

    /** The per-{@code token:distinct_id} token bucket that sends a hot key's events to the overflow topic. */
    public record Overflow(@DefaultValue("true") boolean enabled, @DefaultValue("1000") @Positive double perSecond,
            @DefaultValue("10000") @Positive int burst, @DefaultValue({}) List<String> forcedKeys) {}
}
