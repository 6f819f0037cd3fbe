package dev.ingest.plugin.ingestion.step;

import dev.ingest.plugin.ingestion.event.TimestampResolver;
import dev.ingest.plugin.ingestion.kafka.ClickHouseRows;
import dev.ingest.plugin.ingestion.pipeline.EventContext;
import dev.ingest.plugin.ingestion.pipeline.PipelineStage;
import dev.ingest.plugin.ingestion.pipeline.PipelineStep;
import dev.ingest.plugin.ingestion.pipeline.StepResult;
import dev.ingest.plugin.ingestion.warning.IngestionWarnings;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The event's timestamp with clock-skew correction ({@link TimestampResolver}); its warnings become ingestion
 * warnings. A timestamp ClickHouse cannot store (before 1970 or after 2105) is replaced by the server time, with
 * an {@code ignored_invalid_timestamp} warning, rather than ever reaching the Kafka table.
 */
public final class ParseTimestampStep implements PipelineStep {
    private final TimestampResolver resolver;
    private final IngestionWarnings warnings;
    private final Clock clock;

    public ParseTimestampStep(Clock clock, IngestionWarnings warnings) {
        this.resolver = new TimestampResolver(clock);
        this.warnings = warnings;
        this.clock = clock;
    }

    @Override
    public PipelineStage stage() {
        return PipelineStage.PARSE_TIMESTAMP;
    }

    @Override
    public Set<PipelineStage> requires() {
        return Set.of(PipelineStage.RESOLVE_TEAM);
    }

    @Override
    public StepResult<EventContext> apply(EventContext context) {
        JsonNode timestamp = context.data().get("timestamp");
        JsonNode offset = context.data().get("offset");
        JsonNode ignoreSentAt = context.properties().get("$ignore_sent_at");
        TimestampResolver.Input input = new TimestampResolver.Input(
                timestamp == null || timestamp.isNull() ? null : timestamp.isString() ? timestamp.asString() : timestamp.toString(),
                context.captured().sentAt(),
                context.captured().now(),
                offsetMillis(offset),
                ignoreSentAt != null && ignoreSentAt.asBoolean(false),
                context.captured().uuid(),
                context.eventName());
        TimestampResolver.Result result = resolver.resolve(input);
        long teamId = context.team().id();
        for (TimestampResolver.Warning warning : result.warnings()) {
            warnings.record(context, teamId, warning.type(), warning.details());
        }
        Instant resolved = result.timestamp();
        if (!ClickHouseRows.inDateTimeRange(resolved)) {
            warnings.record(context, teamId, "ignored_invalid_timestamp", Map.of("field", "timestamp",
                    "value", resolved.toString(), "reason", "outside the range ClickHouse stores (1970-2105)"));
            resolved = Instant.now(clock);
        }
        return StepResult.ok(context.withTimestamp(resolved));
    }

    /**
     * The event's {@code offset} in milliseconds, or null when it is no number. A number a long cannot hold (1e300,
     * 99999999999999999999) saturates, so the time lands out of bounds and falls back to the server's with a warning,
     * as PostHog's invalid date does; a fraction is truncated; NaN (from a lenient producer) counts as no offset.
     */
    static Long offsetMillis(JsonNode offset) {
        if (offset == null || !offset.isNumber()) {
            return null;
        }
        if (offset.isIntegralNumber()) {
            return offset.canConvertToLong() ? offset.longValue()
                    : offset.bigIntegerValue().signum() > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        double value = offset.doubleValue();
        return Double.isNaN(value) ? null : (long) value;
    }
}
