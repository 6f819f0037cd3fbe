package dev.ingest.plugin.person;

import dev.ingest.common.id.Uuids;
import dev.ingest.common.json.Json;
import dev.ingest.common.kafka.OutgoingRecord;
import dev.ingest.plugin.kafka.ClickHouseRows;
import dev.ingest.plugin.outbox.ClickHouseOutbox;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.node.ObjectNode;

/**
 * Person processing for one event (docs/posthog-compatibility.md#persons-and-merges, #person-properties), each attempt
 * one transaction: merges for
 * {@code $identify} / {@code $create_alias} / {@code $merge_dangerously}, otherwise find or create the person, then the
 * event's property operations. Returns the person, the ClickHouse rows to produce once the transaction committed, and
 * the ingestion warnings. The rows also go to the outbox in the same transaction, so they reach ClickHouse even when
 * the batch dies before Kafka acknowledged them (a retry finds PostgreSQL changed already and would not produce them). A merge that loses a race (a distinct id taken, a person gone) is retried; after
 * {@value #MAX_ATTEMPTS} attempts the event is processed without the merge and warns {@code merge_race_condition}.
 */
@Component
public class PersonProcessor {
    static final int MAX_ATTEMPTS = 5;

    private final PersonRepository persons;
    private final TransactionTemplate transactions;
    private final ClickHouseOutbox outbox;

    public PersonProcessor(PersonRepository persons, TransactionTemplate transactions, ClickHouseOutbox outbox) {
        this.persons = persons;
        this.transactions = transactions;
        this.outbox = outbox;
    }

    /**
     * @param mergeFrom the other distinct id this event asks to merge into {@code distinctId}, or null
     */
    public record Request(long teamId, String distinctId, String eventName, String mergeFrom, PropertyUpdates updates,
            Instant timestamp, String eventUuid) {}

    public record Warning(String type, Map<String, Object> details) {}

    /** The person as it is after this event, the rows for ClickHouse, and warnings for the project. */
    public record Outcome(Person person, List<OutgoingRecord> rows, List<Warning> warnings) {}

    public Outcome process(Request request) {
        List<Warning> warnings = new ArrayList<>();
        boolean merge = request.mergeFrom() != null && !request.mergeFrom().equals(request.distinctId());
        if (merge && (IllegalDistinctIds.isIllegal(request.distinctId()) || IllegalDistinctIds.isIllegal(request.mergeFrom()))) {
            String illegal = IllegalDistinctIds.isIllegal(request.distinctId()) ? request.distinctId() : request.mergeFrom();
            String other = illegal.equals(request.distinctId()) ? request.mergeFrom() : request.distinctId();
            warnings.add(new Warning("cannot_merge_with_illegal_distinct_id",
                    details("illegalDistinctId", illegal, "otherDistinctId", other, "eventUuid", request.eventUuid())));
            merge = false;
        }
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            boolean withMerge = merge;
            try {
                Outcome outcome = transactions.execute(status -> owed(withMerge ? merge(request) : plain(request)));
                if (outcome != null) {
                    List<Warning> all = new ArrayList<>(warnings);
                    all.addAll(outcome.warnings());
                    return new Outcome(outcome.person(), outcome.rows(), all);
                }
            } catch (LostRaceException | ConcurrencyFailureException e) {
                // Someone else changed these persons between our read and our write, or PostgreSQL chose this
                // transaction as a deadlock victim: read again.
            }
        }
        warnings.add(new Warning("merge_race_condition", details("distinctId", request.distinctId(),
                "otherDistinctId", String.valueOf(request.mergeFrom()), "eventUuid", request.eventUuid())));
        Outcome fallback = transactions.execute(status -> owed(plain(request)));
        return new Outcome(fallback.person(), fallback.rows(), warnings);
    }

    /** Records the outcome's rows in the outbox, inside the transaction that wrote what they describe. */
    private Outcome owed(Outcome outcome) {
        outbox.append(outcome.rows());
        return outcome;
    }

    /** No merge: find or create the person of the distinct id and apply the property operations. */
    private Outcome plain(Request request) {
        List<OutgoingRecord> rows = new ArrayList<>();
        Optional<Person> existing = persons.findForUpdate(request.teamId(), request.distinctId());
        if (existing.isPresent()) {
            return new Outcome(applyUpdates(existing.get(), request.updates(), false, rows), rows, List.of());
        }
        Person person = createPerson(request, List.of(request.distinctId()), false, rows);
        return new Outcome(person, rows, List.of());
    }

    /** Merging A (the other id) into B (the event's id), step 3 of docs/posthog-compatibility.md#persons-and-merges. */
    private Outcome merge(Request request) {
        String a = request.mergeFrom();
        String b = request.distinctId();
        long teamId = request.teamId();
        List<OutgoingRecord> rows = new ArrayList<>();
        Map<String, Person> found = persons.findAllForUpdate(teamId, List.of(a, b));
        Person pa = found.get(a);
        Person pb = found.get(b);
        if (pa == null && pb == null) {
            return new Outcome(createPerson(request, List.of(b, a), true, rows), rows, List.of());
        }
        if (pa != null && pb == null) {
            addDistinctId(teamId, pa, b, rows);
            return new Outcome(applyUpdates(pa, request.updates(), true, rows), rows, List.of());
        }
        if (pa == null) {
            addDistinctId(teamId, pb, a, rows);
            return new Outcome(applyUpdates(pb, request.updates(), true, rows), rows, List.of());
        }
        if (pa.id() == pb.id()) {
            return new Outcome(applyUpdates(pb, request.updates(), true, rows), rows, List.of());
        }
        if (!"$merge_dangerously".equals(request.eventName()) && pa.isIdentified()) {
            // Only the source person's identification blocks a merge; the target still gets the event's updates.
            Warning refused = new Warning("cannot_merge_already_identified",
                    details("sourcePersonDistinctId", a, "targetPersonDistinctId", b, "eventUuid", request.eventUuid()));
            return new Outcome(applyUpdates(pb, request.updates(), true, rows), rows, List.of(refused));
        }
        ObjectNode properties = pa.properties().deepCopy();
        properties.setAll(pb.properties());
        PropertyUpdates.Applied applied = request.updates().applyTo(properties);
        Instant createdAt = pa.createdAt().isBefore(pb.createdAt()) ? pa.createdAt() : pb.createdAt();
        long version = Math.max(pa.version(), pb.version()) + 1;
        for (PersonRepository.DistinctIdVersion moved : persons.moveDistinctIds(teamId, pa.id(), pb.id())) {
            rows.add(ClickHouseRows.personDistinctId(pb.uuid(), teamId, moved.distinctId(), moved.version(), false));
        }
        persons.moveAttachments(teamId, pa.id(), pb.id());
        persons.delete(pa);
        Person merged = persons.updateMerged(pb, applied.properties(), createdAt, true, version);
        rows.add(personRow(merged));
        rows.add(ClickHouseRows.person(pa.uuid(), teamId, pa.createdAt(), Json.write(pa.properties()), pa.isIdentified(),
                true, pa.version() + 100));
        return new Outcome(merged, rows, List.of());
    }

    private Person createPerson(Request request, List<String> distinctIds, boolean identified, List<OutgoingRecord> rows) {
        long teamId = request.teamId();
        String first = distinctIds.getFirst();
        ObjectNode properties = request.updates().initialProperties();
        properties.put("$creator_event_uuid", request.eventUuid());
        long firstVersion = persons.claimDistinctIdVersion(teamId, first);
        Person person = persons.create(teamId, Uuids.personUuid(teamId, first), request.timestamp(), properties, identified,
                first, firstVersion).orElseThrow(LostRaceException::new);
        rows.add(personRow(person));
        rows.add(ClickHouseRows.personDistinctId(person.uuid(), teamId, first, firstVersion, false));
        for (String other : distinctIds.subList(1, distinctIds.size())) {
            addDistinctId(teamId, person, other, rows);
        }
        return person;
    }

    private void addDistinctId(long teamId, Person person, String distinctId, List<OutgoingRecord> rows) {
        long version = persons.claimDistinctIdVersion(teamId, distinctId);
        if (!persons.addDistinctId(teamId, person.id(), distinctId, version)) {
            throw new LostRaceException();
        }
        rows.add(ClickHouseRows.personDistinctId(person.uuid(), teamId, distinctId, version, false));
    }

    /** The property operations, and is_identified once a merge with two legal, different ids was attempted. */
    private Person applyUpdates(Person person, PropertyUpdates updates, boolean identify, List<OutgoingRecord> rows) {
        PropertyUpdates.Applied applied = updates.applyTo(person.properties());
        boolean identified = person.isIdentified() || identify;
        if (!applied.changed() && identified == person.isIdentified()) {
            return person;
        }
        Person updated = persons.update(person, applied.properties(), identified);
        rows.add(personRow(updated));
        return updated;
    }

    static OutgoingRecord personRow(Person person) {
        return personRow(person, Json.write(person.properties()));
    }

    /** The person's row with its properties already written as JSON. */
    static OutgoingRecord personRow(Person person, String propertiesJson) {
        return ClickHouseRows.person(person.uuid(), person.teamId(), person.createdAt(), propertiesJson,
                person.isIdentified(), false, person.version());
    }

    private static Map<String, Object> details(Object... keyValues) {
        Map<String, Object> details = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            details.put((String) keyValues[i], keyValues[i + 1]);
        }
        return details;
    }

    /** Rolls back an attempt whose reads went stale; {@link #process} tries again. */
    static final class LostRaceException extends RuntimeException {
        LostRaceException() {
            super("lost a race with a concurrent person write", null, false, false);
        }
    }
}
