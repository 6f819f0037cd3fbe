package dev.ingest.plugin.ingestion.step;

import dev.ingest.plugin.ingestion.pipeline.EventContext;
import dev.ingest.plugin.ingestion.pipeline.PipelineStage;
import dev.ingest.plugin.ingestion.pipeline.PipelineStep;
import dev.ingest.plugin.ingestion.pipeline.StepResult;
import dev.ingest.plugin.ingestion.warning.IngestionWarnings;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Drops an event older than its project's {@code drop_events_older_than_seconds} (docs/posthog-compatibility.md#timestamps;
 * PostHog's {@code drop-old-events-step.ts}): its age is from its resolved timestamp to when capture received it,
 * and a dropped event leaves an {@code event_dropped_too_old} warning. No threshold, or 0, keeps every event (a zero
 * is taken for a mistake, as PostHog takes it).
 */
public final class DropOldEventsStep implements PipelineStep {
    private final IngestionWarnings warnings;
    private final Clock clock;

    public DropOldEventsStep(IngestionWarnings warnings, Clock clock) {
        this.warnings = warnings;
        this.clock = clock;
    }

    @Override
    public PipelineStage stage() {
        return PipelineStage.DROP_OLD_EVENTS;
    }

    @Override
    public Set<PipelineStage> requires() {
        return Set.of(PipelineStage.RESOLVE_TEAM, PipelineStage.PARSE_TIMESTAMP);
    }

    @Override
    public StepResult<EventContext> apply(EventContext context) {
        Integer threshold = context.team().dropEventsOlderThanSeconds();
        if (threshold == null || threshold <= 0 || context.timestamp() == null) {
            return StepResult.ok(context);
        }
        Duration age = Duration.between(context.timestamp(), receivedAt(context));
        if (age.toMillis() <= threshold * 1000L) {
            return StepResult.ok(context);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("eventUuid", context.captured().uuid());
        details.put("event", context.eventName());
        details.put("distinctId", context.captured().distinctId());
        details.put("eventTimestamp", context.timestamp().toString());
        details.put("ageInSeconds", age.toSeconds());
        details.put("dropThresholdSeconds", threshold);
        warnings.record(context, context.team().id(), "event_dropped_too_old", details);
        return StepResult.drop("event_too_old");
    }

    /** When capture received the event ({@code now}), or this process's now when that is missing or unreadable. */
    private Instant receivedAt(EventContext context) {
        String now = context.captured().now();
        if (now != null) {
            try {
                return Instant.parse(now);
            } catch (DateTimeException unreadable) {
                // fall through to the clock
            }
        }
        return Instant.now(clock);
    }
}
