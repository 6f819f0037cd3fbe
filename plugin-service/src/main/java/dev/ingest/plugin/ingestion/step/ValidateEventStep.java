package dev.ingest.plugin.ingestion.step;

import dev.ingest.common.id.Uuids;
import dev.ingest.plugin.ingestion.pipeline.EventContext;
import dev.ingest.plugin.ingestion.pipeline.PipelineStage;
import dev.ingest.plugin.ingestion.pipeline.PipelineStep;
import dev.ingest.plugin.ingestion.pipeline.StepResult;
import dev.ingest.plugin.ingestion.warning.IngestionWarnings;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The uuid must be valid ({@code skipping_event_invalid_uuid}), and {@code $process_person_profile} must be a boolean
 * ({@code invalid_process_person_profile}, then the default true). When person processing is off (by the event, the
 * project's opt-out, or capture's force_disable header), events that only make sense with a person are dropped
 * ({@code invalid_event_when_process_person_profile_is_false}). See
 * docs/posthog-compatibility.md#ingestion-pipeline-order.
 */
public final class ValidateEventStep implements PipelineStep {
    private static final Set<String> PERSON_ONLY_EVENTS = Set.of("$identify", "$create_alias", "$merge_dangerously",
            "$groupidentify");

    private final IngestionWarnings warnings;

    public ValidateEventStep(IngestionWarnings warnings) {
        this.warnings = warnings;
    }

    @Override
    public PipelineStage stage() {
        return PipelineStage.VALIDATE_EVENT;
    }

    @Override
    public Set<PipelineStage> requires() {
        return Set.of(PipelineStage.RESOLVE_TEAM);
    }

    @Override
    public StepResult<EventContext> apply(EventContext context) {
        long teamId = context.team().id();
        String uuid = context.captured().uuid();
        if (!Uuids.isValid(uuid)) {
            warnings.record(context, teamId, "skipping_event_invalid_uuid", Map.of("eventUuid", String.valueOf(uuid)));
            return StepResult.drop("invalid_uuid");
        }
        boolean processPerson = true;
        JsonNode flag = context.properties().get("$process_person_profile");
        if (flag != null) {
            if (flag.isBoolean()) {
                processPerson = flag.asBoolean();
            } else {
                warnings.record(context, teamId, "invalid_process_person_profile", Map.of("eventUuid", uuid,
                        "$process_person_profile", flag.toString(),
                        "message", "Only a boolean value is valid for the $process_person_profile property"));
            }
        }
        if (context.team().personProcessingOptOut()
                || "true".equals(context.source().headers().get("force_disable_person_processing"))) {
            processPerson = false;
        }
        if (!processPerson && PERSON_ONLY_EVENTS.contains(context.eventName())) {
            warnings.record(context, teamId, "invalid_event_when_process_person_profile_is_false",
                    Map.of("eventUuid", uuid, "event", context.eventName(), "distinctId", context.distinctId()));
            return StepResult.drop("invalid_event_when_process_person_profile_is_false");
        }
        return StepResult.ok(context.withProcessPerson(processPerson));
    }
}
