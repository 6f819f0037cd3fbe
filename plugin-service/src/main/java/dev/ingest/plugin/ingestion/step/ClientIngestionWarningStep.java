package dev.ingest.plugin.ingestion.step;

import dev.ingest.plugin.ingestion.pipeline.EventContext;
import dev.ingest.plugin.ingestion.pipeline.PipelineStage;
import dev.ingest.plugin.ingestion.pipeline.PipelineStep;
import dev.ingest.plugin.ingestion.pipeline.StepResult;
import dev.ingest.plugin.ingestion.warning.IngestionWarnings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * A {@code $$client_ingestion_warning} event is a warning, not an event (docs/posthog-compatibility.md#capture-warnings;
 * PostHog's {@code handle-client-ingestion-warning-step.ts}): an SDK's ({@code $$client_ingestion_warning_message},
 * type {@code client_ingestion_warning}) or capture-service's own (type, source and details in
 * {@code $$client_ingestion_warning_type}, {@code _source}, {@code _details}). It becomes the project's warning row
 * and is never stored.
 */
public final class ClientIngestionWarningStep implements PipelineStep {
    public static final String EVENT = "$$client_ingestion_warning";
    private static final Pattern TYPE = Pattern.compile("[a-z0-9_]{1,64}");

    private final IngestionWarnings warnings;

    public ClientIngestionWarningStep(IngestionWarnings warnings) {
        this.warnings = warnings;
    }

    @Override
    public PipelineStage stage() {
        return PipelineStage.CLIENT_INGESTION_WARNING;
    }

    @Override
    public Set<PipelineStage> requires() {
        return Set.of(PipelineStage.RESOLVE_TEAM);
    }

    @Override
    public StepResult<EventContext> apply(EventContext context) {
        if (!EVENT.equals(context.captured().event()) && !EVENT.equals(context.eventName())) {
            return StepResult.ok(context);
        }
        JsonNode properties = context.properties();
        String type = text(properties.get("$$client_ingestion_warning_type"));
        String source = text(properties.get("$$client_ingestion_warning_source"));
        Map<String, Object> details = new LinkedHashMap<>();
        JsonNode given = properties.get("$$client_ingestion_warning_details");
        if (given != null && given.isObject()) {
            given.properties().forEach(field -> details.put(field.getKey(), field.getValue()));
        }
        details.putIfAbsent("eventUuid", context.captured().uuid());
        details.putIfAbsent("event", context.eventName());
        details.putIfAbsent("distinctId", context.distinctId());
        JsonNode message = properties.get("$$client_ingestion_warning_message");
        if (message != null && !message.isNull()) {
            details.putIfAbsent("message", message.isString() ? message.asString() : message.toString());
        }
        warnings.record(context, context.team().id(), type != null && TYPE.matcher(type).matches() ? type
                : "client_ingestion_warning", source != null && TYPE.matcher(source).matches() ? source : "plugin-server",
                details);
        return StepResult.drop("client_ingestion_warning");
    }

    private static String text(JsonNode value) {
        return value != null && value.isString() ? value.asString() : null;
    }
}
