package dev.ingest.plugin.ingestion.step;

import dev.ingest.common.restriction.EventRestriction;
import dev.ingest.common.restriction.EventRestrictions;
import dev.ingest.common.warning.WarningWindows;
import dev.ingest.common.warning.WindowedWarnings;
import dev.ingest.plugin.ingestion.pipeline.EventContext;
import dev.ingest.plugin.ingestion.pipeline.PipelineStage;
import dev.ingest.plugin.ingestion.pipeline.PipelineStep;
import dev.ingest.plugin.ingestion.pipeline.StepResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.BooleanNode;

/**
 * The project's event restrictions (docs/posthog-compatibility.md#event-restrictions; PostHog's
 * {@code apply-event-restrictions.ts} and {@code apply-person-processing-restrictions.ts}), in PostHog's order: a
 * dropped event ends here (capture drops most of them first; this catches what got through before a change reached
 * capture), counted and reported as one warning per restriction and window; one redirected to the dead-letter topic
 * goes there unprocessed ({@code restricted_to_dlq}); one restricted from person processing goes on with
 * {@code $process_person_profile: false}, so every later rule for personless events applies.
 */
public final class ApplyEventRestrictionsStep implements PipelineStep {
    private final Supplier<EventRestrictions> restrictions;
    private final WindowedWarnings dropWarnings;

    /** @param dropWarnings counts drops per (project, restriction) and sends the windowed warnings */
    public ApplyEventRestrictionsStep(Supplier<EventRestrictions> restrictions, WindowedWarnings dropWarnings) {
        this.restrictions = restrictions;
        this.dropWarnings = dropWarnings;
    }

    @Override
    public PipelineStage stage() {
        return PipelineStage.APPLY_EVENT_RESTRICTIONS;
    }

    @Override
    public Set<PipelineStage> requires() {
        return Set.of(PipelineStage.RESOLVE_TEAM);
    }

    @Override
    public StepResult<EventContext> apply(EventContext context) {
        EventRestrictions current = restrictions.get();
        String token = context.team().apiToken();
        if (!current.any(token)) {
            return StepResult.ok(context);
        }
        EventRestriction.Facts facts = new EventRestriction.Facts(context.distinctId(), () -> sessionId(context),
                context.eventName(), context.captured().uuid());
        Optional<EventRestriction> drop = current.find(token, EventRestriction.Type.DROP_EVENT, facts);
        if (drop.isPresent()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("restrictionId", drop.get().id());
            details.put("restrictionType", drop.get().type().stored());
            details.put("eventUuid", context.captured().uuid());
            details.put("event", context.eventName());
            details.put("distinctId", context.distinctId());
            dropWarnings.record(new WarningWindows.Key(Long.toString(context.team().id()), "event_dropped_by_restriction",
                    Long.toString(drop.get().id())), details);
            return StepResult.drop("event_restriction");
        }
        if (current.find(token, EventRestriction.Type.REDIRECT_TO_DLQ, facts).isPresent()) {
            return StepResult.deadLetter("restricted_to_dlq", null);
        }
        if (current.find(token, EventRestriction.Type.SKIP_PERSON_PROCESSING, facts).isPresent()) {
            context.properties().set("$process_person_profile", BooleanNode.FALSE);
        }
        return StepResult.ok(context);
    }

    private static String sessionId(EventContext context) {
        JsonNode session = context.properties().get("$session_id");
        return session != null && session.isString() ? session.asString() : null;
    }
}
