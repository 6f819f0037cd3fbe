package dev.ingest.plugin.person;

import dev.ingest.common.id.Uuids;
import dev.ingest.common.json.Json;
import dev.ingest.plugin.kafka.ClickHouseRows;
import dev.ingest.common.kafka.OutgoingRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.node.ObjectNode;

/**
 * Person processing for one event: find or create the person of the distinct id and apply the event's property
 * operations, in one transaction. Returns the person and the ClickHouse rows to produce once the transaction has
 * committed (a person row when it was created or changed, a distinct-id row when one was added).
 */
@Component
public class PersonProcessor {
    private static final int CREATE_ATTEMPTS = 3;

    private final PersonRepository persons;
    private final TransactionTemplate transactions;

    public PersonProcessor(PersonRepository persons, TransactionTemplate transactions) {
        this.persons = persons;
        this.transactions = transactions;
    }

    /** The outcome: the person as it is after this event, and the rows for ClickHouse. */
    public record Outcome(Person person, List<OutgoingRecord> rows) {}

    public Outcome process(long teamId, String distinctId, PropertyUpdates updates, Instant timestamp, String eventUuid) {
        for (int attempt = 1; ; attempt++) {
            Optional<Outcome> outcome;
            try {
                outcome = transactions.execute(status -> attempt(teamId, distinctId, updates, timestamp, eventUuid));
            } catch (DistinctIdTakenException e) {
                outcome = Optional.empty();
            }
            if (outcome != null && outcome.isPresent()) {
                return outcome.get();
            }
            if (attempt >= CREATE_ATTEMPTS) {
                throw new IllegalStateException("could not create or find the person of distinct id after "
                        + CREATE_ATTEMPTS + " attempts (team " + teamId + ")");
            }
        }
    }

    private Optional<Outcome> attempt(long teamId, String distinctId, PropertyUpdates updates, Instant timestamp,
            String eventUuid) {
        List<OutgoingRecord> rows = new ArrayList<>();
        Optional<Person> existing = persons.findForUpdate(teamId, distinctId);
        if (existing.isPresent()) {
            Person person = existing.get();
            PropertyUpdates.Applied applied = updates.applyTo(person.properties());
            if (applied.changed()) {
                person = persons.update(person, applied.properties(), person.isIdentified());
                rows.add(personRow(person));
            }
            return Optional.of(new Outcome(person, rows));
        }
        ObjectNode properties = updates.initialProperties();
        properties.put("$creator_event_uuid", eventUuid);
        Optional<Person> created = persons.create(teamId, Uuids.personUuid(teamId, distinctId), timestamp, properties,
                false, distinctId, 0);
        if (created.isEmpty()) {
            // Another consumer added this distinct id a moment ago: roll back ours and read theirs.
            throw new DistinctIdTakenException();
        }
        Person person = created.get();
        rows.add(personRow(person));
        rows.add(ClickHouseRows.personDistinctId(person.uuid(), teamId, distinctId, 0, false));
        return Optional.of(new Outcome(person, rows));
    }

    static OutgoingRecord personRow(Person person) {
        return ClickHouseRows.person(person.uuid(), person.teamId(), person.createdAt(), Json.write(person.properties()),
                person.isIdentified(), false, person.version());
    }

    /** Rolls back a creation that lost a race; {@link #process} then retries and finds the winner's person. */
    static final class DistinctIdTakenException extends RuntimeException {
        DistinctIdTakenException() {
            super("distinct id taken concurrently", null, false, false);
        }
    }
}
