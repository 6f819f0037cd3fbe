package dev.ingest.plugin.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/** Everything plugin-service can be told, under {@code ingest.plugin}; invalid values stop it at startup. */
@Validated
@ConfigurationProperties("ingest.plugin")
public record PluginProperties(@Valid @NotNull Lanes lanes, @Valid @NotNull Kafka kafka,
        @Valid @NotNull Destinations destinations, @Valid @NotNull Outbox outbox, @Valid @NotNull Js js,
        @Valid @NotNull Restrictions restrictions, @Valid @NotNull Definitions definitions, @Valid @NotNull Squash squash) {
    public PluginProperties(@DefaultValue Lanes lanes, @DefaultValue Kafka kafka, @DefaultValue Destinations destinations,
            @DefaultValue Outbox outbox, @DefaultValue Js js, @DefaultValue Restrictions restrictions,
            @DefaultValue Definitions definitions, @DefaultValue Squash squash) {
        this.squash = squash;
        this.definitions = definitions;
        this.restrictions = restrictions;
        this.lanes = lanes;
        this.kafka = kafka;
        this.destinations = destinations;
        this.outbox = outbox;
        this.js = js;
    }

    /**
     * The squash of person overrides into the events, every {@code interval}, of overrides older than {@code grace}
     * (longer than an event can take from this service to ClickHouse); waits up to {@code mutationTimeout} for the
     * shards; at most {@code maxOverrides} per run. Runs only where ClickHouse nodes are named (the stack's
     * {@code CLICKHOUSE_URLS}; credentials {@code CLICKHOUSE_USER} / {@code CLICKHOUSE_PASSWORD}).
     */
    public record Squash(@DefaultValue("true") boolean enabled, @DefaultValue("1h") @NotNull Duration interval,
            @DefaultValue("1h") @NotNull Duration grace, @DefaultValue("10m") @NotNull Duration mutationTimeout,
            @DefaultValue("100000") @Min(1) int maxOverrides, @DefaultValue @NotNull List<URI> clickhouseUrls,
            @DefaultValue("posthog") @NotBlank String database) {
        public Squash {
            clickhouseUrls = List.copyOf(clickhouseUrls);
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("ingest.plugin.squash.interval must be positive");
            }
        }

        /** Whether the squash runs: enabled and told where ClickHouse is. */
        public boolean runs() {
            return enabled && !clickhouseUrls.isEmpty();
        }
    }

    /**
     * Event and property definitions written from processed events: whether at all, and how many definitions the
     * process remembers as written (each about 100 bytes; one forgotten costs one more upsert).
     */
    public record Definitions(@DefaultValue("true") boolean enabled, @DefaultValue("200000") @Min(1000) int cacheSize) {
        public Definitions {
            if (cacheSize < 1000) {
                throw new IllegalArgumentException("ingest.plugin.definitions.cache-size must be at least 1000");
            }
        }
    }

    /**
     * Event restrictions (table {@code event_restriction}): re-read every {@code refresh}; the events one drops are
     * reported as one warning per restriction and {@code warningWindow}, with their count.
     */
    public record Restrictions(@DefaultValue("5s") @NotNull Duration refresh,
            @DefaultValue("1m") @NotNull Duration warningWindow) {
        public Restrictions {
            if (refresh.isNegative() || refresh.isZero() || warningWindow.isNegative() || warningWindow.isZero()) {
                throw new IllegalArgumentException("ingest.plugin.restrictions.refresh and warning-window must be positive");
            }
        }
    }

    /**
     * JavaScript apps: each runs in a worker process of its own whose heap is capped, under limits only the operator
     * sets (an app's {@code timeoutMs} may lower its timeout, never raise it).
     *
     * @param workerHeap the heap of one app's worker JVM ({@code -Xmx}); a script that needs more ends its worker
     * @param timeout how long one call may run
     * @param statementLimit statements one call may execute
     * @param loadTimeout how long starting a worker and loading the script may take
     * @param maxFailures failures on resources (worker out of memory or not answering, a call past its timeout or
     *     statement limit) within {@code failureWindow} after which the app is disabled, with the reason
     */
    public record Js(
            @DefaultValue("256MB") @NotNull DataSize workerHeap,
            @DefaultValue("100ms") @NotNull Duration timeout,
            @DefaultValue("1000000") @Min(1000) long statementLimit,
            @DefaultValue("60s") @NotNull Duration loadTimeout,
            @DefaultValue("5") @Min(1) int maxFailures,
            @DefaultValue("10m") @NotNull Duration failureWindow) {
        public Js {
            if (timeout != null && (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofSeconds(1)) > 0)) {
                throw new IllegalArgumentException("ingest.plugin.js.timeout must be between 1 ms and 1 s");
            }
        }
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

    /**
     * onEvent destinations (webhooks, Customer.io, JS {@code composeWebhook}/{@code onEvent}), run by the delivery
     * worker off the ingestion path.
     *
     * @param enabled whether this instance runs the delivery worker at all
     * @param groupId the consumer group that reads clickhouse_events_json for destinations
     * @param autoOffsetReset where a new group starts: latest (destinations get events from now on) or earliest
     * @param retryTopic failed attempts wait here for their next try
     * @param deadLetterTopic deliveries that failed for good (attempts used up, refused target, bad request)
     * @param maxAttempts attempts per delivery, the first included
     * @param initialBackoff the pause before the second attempt; each further one doubles, up to maxBackoff
     * @param maxBackoff the longest pause between two attempts
     * @param connectTimeout TCP/TLS connect timeout of one attempt
     * @param requestTimeout the whole attempt's timeout (a hanging destination fails after this)
     * @param concurrencyPerDestination requests in flight to one destination at once
     * @param maxPendingPerDestination deliveries one destination may have waiting; beyond it a delivery goes straight
     *     to the retry topic (counted as an attempt), so a stuck destination never holds memory or other destinations
     * @param maxInFlight deliveries held in memory by this instance; beyond it consumption pauses
     * @param allowedPrivateNetworks CIDR ranges of private, loopback or link-local addresses that targets may resolve
     *     to anyway (empty: all refused, the SSRF guard); e.g. {@code 127.0.0.0/8} for tests
     * @param secretKey the secret the headers of deliveries are sealed with on the retry and dead-letter topics
     *     (every instance must have the same one); empty: a random key per process, with a warning
     */
    public record Destinations(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("ingestion-destinations") @NotBlank String groupId,
            @DefaultValue("latest") @jakarta.validation.constraints.Pattern(regexp = "latest|earliest") String autoOffsetReset,
            @DefaultValue("app_deliveries_retry") @NotBlank String retryTopic,
            @DefaultValue("app_deliveries_dlq") @NotBlank String deadLetterTopic,
            @DefaultValue("6") @Min(1) @Max(50) int maxAttempts,
            @DefaultValue("1s") @NotNull Duration initialBackoff,
            @DefaultValue("5m") @NotNull Duration maxBackoff,
            @DefaultValue("3s") @NotNull Duration connectTimeout,
            @DefaultValue("10s") @NotNull Duration requestTimeout,
            @DefaultValue("4") @Min(1) @Max(256) int concurrencyPerDestination,
            @DefaultValue("1000") @Min(1) int maxPendingPerDestination,
            @DefaultValue("10000") @Min(1) int maxInFlight,
            @DefaultValue @NotNull List<String> allowedPrivateNetworks,
            @DefaultValue("") @NotNull String secretKey) {
        @Override
        public String toString() {
            return "Destinations[groupId=" + groupId + ", retryTopic=" + retryTopic + ", secretKey=****]";
        }
    }

    /**
     * The ClickHouse outbox sweeper: produces the person and distinct-id rows whose batch committed to
     * PostgreSQL but never got Kafka's acknowledgement (the process died, or the batch failed afterwards).
     *
     * @param grace how old an outbox row must be before the sweeper produces it; longer than a batch normally takes
     *     from its first commit to its acknowledgement, so live batches are left alone
     * @param sweepInterval the pause between two sweeps (the first runs at startup)
     * @param chunkSize outbox rows per sweep transaction (each row holds one write transaction's records)
     */
    public record Outbox(
            @DefaultValue("60s") @NotNull Duration grace,
            @DefaultValue("10s") @NotNull Duration sweepInterval,
            @DefaultValue("20") @Min(1) @Max(1000) int chunkSize) {
        public Outbox {
            if (grace != null && grace.isNegative()) {
                throw new IllegalArgumentException("ingest.plugin.outbox.grace must not be negative, was " + grace);
            }
            if (sweepInterval != null && (sweepInterval.isZero() || sweepInterval.isNegative())) {
                throw new IllegalArgumentException("ingest.plugin.outbox.sweep-interval must be positive, was " + sweepInterval);
            }
        }
    }
}
