package dev.ingest.plugin.ingestion.step;

import dev.ingest.common.json.Json;
import dev.ingest.plugin.ingestion.event.ElementsChain;
import dev.ingest.plugin.ingestion.kafka.ClickHouseRows;
import dev.ingest.plugin.ingestion.kafka.EmbeddedJson;
import dev.ingest.plugin.ingestion.pipeline.EventContext;
import dev.ingest.plugin.ingestion.pipeline.PipelineStage;
import dev.ingest.plugin.ingestion.pipeline.PipelineStep;
import dev.ingest.plugin.ingestion.pipeline.StepResult;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the event's row for ClickHouse (docs/posthog-compatibility.md#autocapture-elements-chain,
 * #clickhouse-event-messages): the elements chain out of the properties, the
 * person's id, properties and creation time, the person mode.
 */
public final class PrepareEventStep implements PipelineStep {
    private static final EmbeddedJson EMPTY_OBJECT = EmbeddedJson.of("{}");

    private final Clock clock;

    public PrepareEventStep(Clock clock) {
        this.clock = clock;
    }

    @Override
    public PipelineStage stage() {
        return PipelineStage.PREPARE_EVENT;
    }

    @Override
    public Set<PipelineStage> requires() {
        return Set.of(PipelineStage.PARSE_TIMESTAMP, PipelineStage.PROCESS_PERSON);
    }

    @Override
    public StepResult<EventContext> apply(EventContext context) {
        ObjectNode properties = context.properties();
        String elementsChain = "";
        JsonNode chain = properties.get("$elements_chain");
        if (chain != null && chain.isString()) {
            elementsChain = chain.asString();
        } else if (properties.get("$elements") != null && properties.get("$elements").isArray()) {
            elementsChain = ElementsChain.toChain(ElementsChain.extract(properties.get("$elements")));
        }
        properties.remove("$elements_chain");
        properties.remove("$elements");
        EmbeddedJson personProperties = context.personMode() != EventContext.PersonMode.FULL ? EMPTY_OBJECT
                : context.scope() != null ? context.scope().persons().embeddedJson(context.person().properties())
                : EmbeddedJson.of(Json.write(context.person().properties()));
        ClickHouseRows.EventRow row = new ClickHouseRows.EventRow(UUID.fromString(context.captured().uuid()),
                context.eventName(), properties, context.timestamp(), context.team().id(), context.distinctId(),
                elementsChain, Instant.now(clock), context.person().uuid(), personProperties, context.person().createdAt(),
                context.personMode().value(), Boolean.TRUE.equals(context.captured().historicalMigration()));
        return StepResult.ok(context.withRow(ClickHouseRows.event(row)));
    }
}
