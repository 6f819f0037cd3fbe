package dev.ingest.plugin.step;

import dev.ingest.common.id.Uuids;
import dev.ingest.plugin.person.Person;
import dev.ingest.plugin.person.IllegalDistinctIds;
import dev.ingest.plugin.person.PersonBatch;
import dev.ingest.plugin.person.PersonProcessor;
import dev.ingest.plugin.person.PersonRepository;
import dev.ingest.plugin.person.PropertyUpdates;
import dev.ingest.plugin.pipeline.EventContext;
import dev.ingest.plugin.pipeline.PipelineStage;
import dev.ingest.plugin.pipeline.PipelineStep;
import dev.ingest.plugin.pipeline.StepResult;
import java.time.Instant;
import dev.ingest.plugin.warning.IngestionWarnings;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Person processing (docs/posthog-compatibility.md#persons-and-merges, #person-properties, #personless-events). With
 * person processing on, the person of the distinct id is found or created and the event's $set/$set_once/$unset
 * applied. Personless events write no person: they get the distinct id's deterministic uuid (or the existing person's,
 * in force_upgrade mode) and empty properties.
 */
public final class ProcessPersonStep implements PipelineStep {
    /** person_created_at of personless events, as PostHog writes it. */
    public static final Instant PERSONLESS_CREATED_AT = Instant.parse("1970-01-01T00:00:05Z");

    private final PersonProcessor processor;
    private final PersonRepository persons;
    private final IngestionWarnings warnings;

    public ProcessPersonStep(PersonProcessor processor, PersonRepository persons, IngestionWarnings warnings) {
        this.processor = processor;
        this.persons = persons;
        this.warnings = warnings;
    }

    /**
     * The distinct id an event asks to merge into its own (docs/posthog-compatibility.md#persons-and-merges):
     * {@code $anon_distinct_id} of an {@code $identify}, a truthy {@code alias} of {@code $create_alias} /
     * {@code $merge_dangerously}; else null.
     */
    public static String mergeFrom(String eventName, ObjectNode properties) {
        if ("$identify".equals(eventName) && properties.has("$anon_distinct_id")) {
            return text(properties.get("$anon_distinct_id"));
        }
        if ("$create_alias".equals(eventName) || "$merge_dangerously".equals(eventName)) {
            JsonNode alias = properties.get("alias");
            boolean truthy = alias != null && !alias.isNull() && !(alias.isString() && alias.asString().isEmpty())
                    && !(alias.isBoolean() && !alias.asBoolean()) && !(alias.isNumber() && alias.asDouble() == 0);
            return truthy ? text(alias) : null;
        }
        return null;
    }

    /** JavaScript's String(value): strings as they are, null as "null", anything else as its JSON. */
    private static String text(JsonNode value) {
        return value.isString() ? value.asString() : value.isNull() ? "null" : value.toString();
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
        String mergeFrom = mergeFrom(context.eventName(), context.properties());
        PropertyUpdates updates = PropertyUpdates.fromProperties(context.properties());
        PersonBatch batch = context.scope() == null ? null : context.scope().persons();
        if (batch != null && (mergeFrom == null || mergeFrom.equals(distinctId))) {
            // The common case: in memory now, written with the rest of the batch.
            Person person = batch.apply(teamId, distinctId, updates, context.timestamp(), context.captured().uuid());
            return StepResult.ok(context.withPerson(person, EventContext.PersonMode.FULL));
        }
        PersonProcessor.Request request = new PersonProcessor.Request(teamId, distinctId, context.eventName(), mergeFrom,
                updates, context.timestamp(), context.captured().uuid());
        if (batch != null && !IllegalDistinctIds.isIllegal(distinctId) && !IllegalDistinctIds.isIllegal(mergeFrom)) {
            // At most one of the two has a person (the usual identify): done in memory, written with the batch.
            java.util.Optional<Person> joined = batch.identify(request);
            if (joined.isPresent()) {
                return StepResult.ok(context.withPerson(joined.get(), EventContext.PersonMode.FULL));
            }
        }
        if (batch != null) {
            // A real merge of two persons reads and writes PostgreSQL directly: pending writes of both persons go
            // first, and what the batch knew of them is stale afterwards.
            context.addEffects(batch.flush(teamId, distinctId, mergeFrom));
        }
        PersonProcessor.Outcome outcome = processor.process(request);
        if (batch != null) {
            batch.forget(teamId, distinctId, mergeFrom);
        }
        context.addEffects(outcome.rows());
        for (PersonProcessor.Warning warning : outcome.warnings()) {
            warnings.record(context, teamId, warning.type(), warning.details());
        }
        return StepResult.ok(context.withPerson(outcome.person(), EventContext.PersonMode.FULL));
    }
}
