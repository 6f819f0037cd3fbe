package dev.ingest.plugin.ingestion.step;

import dev.ingest.plugin.definition.DefinitionBatch;
import dev.ingest.plugin.definition.DefinitionRecorder;
import dev.ingest.plugin.group.GroupRepository;
import dev.ingest.plugin.ingestion.pipeline.BatchStep;
import dev.ingest.plugin.ingestion.pipeline.EventContext;
import dev.ingest.plugin.ingestion.pipeline.PipelineStage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Event and property definitions (docs/posthog-compatibility.md#event-and-property-definitions) from the batch's
 * events as they will be stored, written once per batch for what is new. Definitions are derived data: a failure to
 * write them is logged and counted and never holds up or fails an event; what was not written is written with a later
 * batch that shows it again.
 */
public final class RecordDefinitionsStep implements BatchStep {
    private static final Logger log = LoggerFactory.getLogger(RecordDefinitionsStep.class);

    private final DefinitionRecorder recorder;
    private final GroupRepository groups;
    private final Counter failures;

    public RecordDefinitionsStep(DefinitionRecorder recorder, GroupRepository groups, MeterRegistry metrics) {
        this.recorder = recorder;
        this.groups = groups;
        this.failures = Counter.builder("ingest_plugin_definition_write_failures").register(metrics);
    }

    @Override
    public PipelineStage stage() {
        return PipelineStage.RECORD_DEFINITIONS;
    }

    @Override
    public Set<PipelineStage> requires() {
        return Set.of(PipelineStage.RESOLVE_TEAM, PipelineStage.PREPARE_EVENT);
    }

    @Override
    public void apply(List<EventContext> events) {
        DefinitionBatch batch = recorder.newBatch();
        for (EventContext event : events) {
            batch.add(event.team().id(), event.eventName(), event.properties(), groups::typeIndex);
        }
        try {
            recorder.record(batch);
        } catch (RuntimeException e) {
            failures.increment();
            log.warn("could not write the definitions of a batch of {} events ({}); a later batch writes them", events.size(),
                    e.toString());
        }
    }
}
