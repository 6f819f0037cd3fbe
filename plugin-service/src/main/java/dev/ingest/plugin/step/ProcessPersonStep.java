package dev.ingest.plugin.step;

import dev.ingest.common.id.Uuids;
import dev.ingest.plugin.person.Person;
import dev.ingest.plugin.person.PersonProcessor;
import dev.ingest.plugin.person.PersonRepository;
import dev.ingest.plugin.person.PropertyUpdates;
import dev.ingest.plugin.pipeline.EventContext;
import dev.ingest.plugin.pipeline.PipelineStage;
import dev.ingest.plugin.pipeline.PipelineStep;
import dev.ingest.plugin.pipeline.StepResult;
import java.time.Instant;
import java.util.Optional;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Person processing (POSTHOG_SPEC §2.2-2.5, §2.8). With person processing on, the person of the distinct id is found
 * or created and the event's $set/$set_once/$unset applied. Personless events write no person: they get the
 * distinct id's deterministic uuid (or the existing person's, in force_upgrade mode) and empty properties.
 */
public final class ProcessPersonStep implements PipelineStep {
    /** person_created_at of personless events, as PostHog writes it. */
    public static final Instant PERSONLESS_CREATED_AT = Instant.parse("1970-01-01T00:00:05Z");

    private final PersonProcessor processor;
    private final PersonRepository persons;

    public ProcessPersonStep(PersonProcessor processor, PersonRepository persons) {
        this.processor = processor;
        this.persons = persons;
    }

    @Override
    public PipelineStage stage() {
        return PipelineStage.PROCESS_PERSON;
    }

    @Override
    public StepResult<EventContext> apply(EventContext context) {
        long teamId = context.team().id();
        String distinctId = context.distinctId();
        if (!context.processPerson()) {
            persons.markPersonless(teamId, distinctId);
            Optional<Person> existing = persons.find(teamId, distinctId);
            Person person = existing
                    .map(p -> new Person(p.id(), p.uuid(), p.teamId(), p.createdAt(), JsonNodeFactory.instance.objectNode(),
                            p.isIdentified(), p.version()))
                    .orElseGet(() -> new Person(0, Uuids.personUuid(teamId, distinctId), teamId, PERSONLESS_CREATED_AT,
                            JsonNodeFactory.instance.objectNode(), false, 0));
            return StepResult.ok(context.withPerson(person, existing.isPresent()
                    ? EventContext.PersonMode.FORCE_UPGRADE : EventContext.PersonMode.PROPERTYLESS));
        }
        PersonProcessor.Outcome outcome = processor.process(teamId, distinctId,
                PropertyUpdates.fromProperties(context.properties()), context.timestamp(), context.captured().uuid());
        context.addEffects(outcome.rows());
        return StepResult.ok(context.withPerson(outcome.person(), EventContext.PersonMode.FULL));
    }
}
