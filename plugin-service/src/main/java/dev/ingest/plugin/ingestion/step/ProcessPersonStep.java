package dev.ingest.plugin.ingestion.step;

import dev.ingest.plugin.ingestion.pipeline.EventContext;
import dev.ingest.plugin.ingestion.pipeline.PipelineStage;
import dev.ingest.plugin.ingestion.pipeline.PipelineStep;
import dev.ingest.plugin.ingestion.pipeline.StepResult;
import dev.ingest.plugin.ingestion.warning.IngestionWarnings;
import dev.ingest.plugin.person.BatchPersonStore;
import dev.ingest.plugin.person.Person;
import dev.ingest.plugin.person.PersonProcessor;
import dev.ingest.plugin.person.PropertyUpdates;
import java.util.Optional;
import java.util.Set;

/**
 * Person processing: hands the event to {@link PersonProcessor} over the batch's {@link BatchPersonStore}, and
 * records the person the event row will show. Personless events write no person: they get the existing person
 * without properties (force_upgrade) or the distinct id's deterministic uuid (propertyless).
 */
public final class ProcessPersonStep implements PipelineStep {
    private final PersonProcessor processor;
    private final IngestionWarnings warnings;

    public ProcessPersonStep(PersonProcessor processor, IngestionWarnings warnings) {
        this.processor = processor;
        this.warnings = warnings;
    }

    @Override
    public PipelineStage stage() {
        return PipelineStage.PROCESS_PERSON;
    }

    @Override
    public Set<PipelineStage> requires() {
        return Set.of(PipelineStage.RESOLVE_TEAM, PipelineStage.PARSE_TIMESTAMP);
    }

    @Override
    public Set<PipelineStage> runsAfter() {
        Set<PipelineStage> after = PipelineStage.changingPersonInput();
        after.add(PipelineStage.PREFETCH_PERSONS);
        return after;
    }

    @Override
    public StepResult<EventContext> apply(EventContext context) {
        long teamId = context.team().id();
        String distinctId = context.distinctId();
        BatchPersonStore store = context.scope().persons();
        if (!context.processPerson()) {
            Optional<Person> existing = processor.personless(store, teamId, distinctId);
            return StepResult.ok(existing.isPresent()
                    ? context.withPerson(existing.get(), EventContext.PersonMode.FORCE_UPGRADE)
                    : context.withPerson(PersonProcessor.personlessPerson(teamId, distinctId),
                            EventContext.PersonMode.PROPERTYLESS));
        }
        PersonProcessor.Request request = new PersonProcessor.Request(teamId, distinctId, context.eventName(),
                PersonProcessor.mergeFrom(context.eventName(), context.properties()),
                PropertyUpdates.of(context.eventName(), context.properties()), context.timestamp(), context.captured().uuid());
        PersonProcessor.Outcome outcome = processor.process(store, request);
        for (PersonProcessor.Warning warning : outcome.warnings()) {
            warnings.record(context, teamId, warning.type(), warning.details());
        }
        return StepResult.ok(context.withPerson(outcome.person(), EventContext.PersonMode.FULL));
    }
}
