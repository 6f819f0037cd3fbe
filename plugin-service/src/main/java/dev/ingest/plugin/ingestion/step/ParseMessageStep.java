package dev.ingest.plugin.ingestion.step;

import dev.ingest.common.event.CapturedEvent;
import dev.ingest.common.json.Json;
import dev.ingest.plugin.ingestion.pipeline.EventContext;
import dev.ingest.plugin.ingestion.pipeline.PipelineStage;
import dev.ingest.plugin.ingestion.pipeline.PipelineStep;
import dev.ingest.plugin.ingestion.pipeline.StepResult;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Reads capture's message and the event JSON inside it; anything unreadable goes to the dead-letter topic. */
public final class ParseMessageStep implements PipelineStep {
    @Override
    public PipelineStage stage() {
        return PipelineStage.PARSE_MESSAGE;
    }

    @Override
    public StepResult<EventContext> apply(EventContext context) {
        CapturedEvent captured;
        JsonNode data;
        try {
            captured = Json.read(context.source().value(), CapturedEvent.class);
            data = captured == null || captured.data() == null ? null : Json.read(captured.data());
        } catch (JacksonException e) {
            return StepResult.deadLetter("unparseable_message", e);
        }
        if (captured == null || !(data instanceof ObjectNode event)) {
            return StepResult.deadLetter("message_without_event", null);
        }
        if (captured.distinctId() == null || captured.distinctId().isEmpty()) {
            return StepResult.deadLetter("message_without_distinct_id", null);
        }
        if (!(event.get("properties") instanceof ObjectNode)) {
            event.set("properties", JsonNodeFactory.instance.objectNode());
        }
        if (!event.has("event") && captured.event() != null) {
            event.put("event", captured.event());
        }
        return StepResult.ok(context.withCaptured(captured, event));
    }
}
