package dev.ingest.plugin.person;

import dev.ingest.common.kafka.OutgoingRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@link PersonStore} inside one open transaction: every read locks the rows it returns, every write goes to
 * PostgreSQL at once, and a write that finds a distinct id taken throws {@link PersonStore.LostRaceException} (the
 * transaction rolls back). It keeps the rows ClickHouse is owed and, for the batch that opened it, what it learned:
 * the person of each distinct id it read or wrote, and which persons were merged into which.
 */
final class LockedPersonStore implements PersonStore {
    private final PersonRepository persons;
    private final Function<ObjectNode, String> json;
    private final List<OutgoingRecord> rows = new ArrayList<>();
    private final Map<String, Person> current = new LinkedHashMap<>();
    private final Map<Long, Person> mergedInto = new HashMap<>();

    LockedPersonStore(PersonRepository persons, Function<ObjectNode, String> json) {
        this.persons = persons;
        this.json = json;
    }

    @Override
    public Map<String, Person> personsOf(long teamId, List<String> distinctIds) {
        Map<String, Person> found = persons.findAllForUpdate(teamId, distinctIds);
        current.putAll(found);
        return found;
    }

    @Override
    public Optional<Person> personlessPersonOf(long teamId, String distinctId) {
        persons.markPersonless(teamId, distinctId);
        return persons.find(teamId, distinctId);
    }

    @Override
    public Person create(NewPerson fresh, List<String> distinctIds, PersonProcessor.Request cause) {
        // The distinct id's deterministic uuid can belong to a person it was merged away from: then a random one.
        Person person = persons.insert(fresh)
                .or(() -> persons.insert(new NewPerson(fresh.teamId(), UUID.randomUUID(), fresh.createdAt(),
                        fresh.properties(), fresh.identified())))
                .orElseThrow(LostRaceException::new);
        rows.add(PersonRows.person(person, json.apply(person.properties())));
        for (String distinctId : distinctIds) {
            addDistinctId(person, distinctId, cause);
        }
        return person;
    }

    @Override
    public Person update(Person person, ObjectNode properties, boolean identified, PropertyUpdates cause) {
        Person updated = persons.update(person, properties, identified);
        rows.add(PersonRows.person(updated, json.apply(updated.properties())));
        replace(person, updated);
        return updated;
    }

    @Override
    public Person viewWith(Person person, ObjectNode properties, PropertyUpdates cause) {
        Person viewed = new Person(person.id(), person.uuid(), person.teamId(), person.createdAt(), properties,
                person.isIdentified(), person.version());
        replace(person, viewed);
        return viewed;
    }

    @Override
    public String json(ObjectNode properties) {
        return json.apply(properties);
    }

    @Override
    public void addDistinctId(Person person, String distinctId, PersonProcessor.Request cause) {
        PersonRepository.DistinctIdKey key = new PersonRepository.DistinctIdKey(person.teamId(), distinctId);
        long version = persons.markPersonlessMerged(List.of(key)).isEmpty() ? 0 : 1;
        if (!persons.addDistinctId(person.teamId(), person.id(), distinctId, version)) {
            throw new LostRaceException();
        }
        rows.add(PersonRows.distinctId(person, distinctId, version));
        current.put(distinctId, person);
    }

    @Override
    public Person merge(Person source, Person target, ObjectNode properties, Instant createdAt, long version) {
        long teamId = target.teamId();
        List<PersonRepository.DistinctIdVersion> moved = persons.moveDistinctIds(teamId, source.id(), target.id());
        persons.copyAttachments(teamId, source.id(), target.id());
        persons.deleteAll(List.of(source.id()));
        Person merged = persons.updateMerged(target, properties, createdAt, true, version);
        rows.add(PersonRows.person(merged, json.apply(merged.properties())));
        rows.add(PersonRows.deleted(source, json.apply(source.properties())));
        replace(source, merged);
        replace(target, merged);
        for (PersonRepository.DistinctIdVersion distinctId : moved) {
            rows.add(PersonRows.distinctId(merged, distinctId.distinctId(), distinctId.version()));
            rows.add(PersonRows.override(merged, distinctId.distinctId(), distinctId.version()));
            current.put(distinctId.distinctId(), merged);
        }
        mergedInto.put(source.id(), merged);
        return merged;
    }

    /** Already inside the transaction: the work runs here. */
    @Override
    public <T> T locked(long teamId, List<String> distinctIds, Function<PersonStore, T> work) {
        return work.apply(this);
    }

    /** The person of each distinct id this store read or wrote, as it is now. */
    Map<String, Person> current() {
        return current;
    }

    /** Merged-away person id -> the person it is part of now. */
    Map<Long, Person> mergedInto() {
        return mergedInto;
    }

    List<OutgoingRecord> rows() {
        return rows;
    }

    private void replace(Person before, Person after) {
        current.replaceAll((distinctId, person) -> person.id() == before.id() ? after : person);
        mergedInto.replaceAll((id, person) -> person.id() == before.id() ? after : person);
    }
}
