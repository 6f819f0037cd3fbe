package dev.ingest.plugin.person;

import dev.ingest.common.json.Json;
import dev.ingest.common.kafka.OutgoingRecord;
import dev.ingest.plugin.ingestion.kafka.EmbeddedJson;
import dev.ingest.plugin.person.outbox.ClickHouseOutbox;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.node.ObjectNode;

/**
 * The persons of one poll batch: an identity map of every distinct id the batch touches (read in one query per
 * project by {@link #prefetch}), writes kept in memory and written by {@link #write()} in one transaction (new persons
 * and distinct ids as multi-row inserts, changed persons as one version-checked update), with the ClickHouse rows
 * they owe in the outbox in the same transaction. Work that needs current, locked rows (a merge of two persons) runs
 * through {@link #locked}: the persons it touches are written first, the work runs in its own transaction on a
 * {@link LockedPersonStore}, and what that learned replaces what the batch knew.
 *
 * <p>Safe without cross-batch caching: nothing survives the batch. A person another consumer changed meanwhile (its
 * version moved) is re-read, locked, and this batch's operations re-applied to it; a distinct id another consumer
 * took meanwhile comes back from {@link #write()} as the identify to run again. One instance per batch and thread.
 */
public final class BatchPersonStore implements PersonStore {
    private final PersonRepository persons;
    private final TransactionTemplate transactions;
    private final ClickHouseOutbox outbox;
    private final Runnable fence;

    /** Distinct id -> the person it points at; several distinct ids of one person share one holder. */
    private final Map<Key, Holder> byDistinctId = new HashMap<>();
    /** Stored person id -> its holder, so two distinct ids of one person read separately share one holder. */
    private final Map<Long, Holder> byPersonId = new HashMap<>();
    /** Every person instance this store handed out -> its holder. */
    private final Map<Person, Holder> byInstance = new IdentityHashMap<>();
    /**
     * The JSON text of person properties, by node identity: a person's properties go into every one of its events'
     * rows and into its own row, and writing them is the costliest part of an event. Safe because a person's
     * properties node is never changed in place (PropertyUpdates copies before it changes).
     */
    private final Map<ObjectNode, EmbeddedJson> jsonOfProperties = new IdentityHashMap<>();
    private final List<OutgoingRecord> rows = new ArrayList<>();
    private final List<Long> outboxIds = new ArrayList<>();
    private final List<PersonProcessor.Request> lostJoins = new ArrayList<>();

    public BatchPersonStore(PersonRepository persons, TransactionTemplate transactions, ClickHouseOutbox outbox) {
        this(persons, transactions, outbox, () -> {});
    }

    /**
     * @param fence runs first in every write transaction, and throws when the batch may no longer write (its
     *     partitions were taken over: the consumer's partition leases)
     */
    public BatchPersonStore(PersonRepository persons, TransactionTemplate transactions, ClickHouseOutbox outbox,
            Runnable fence) {
        this.persons = persons;
        this.transactions = transactions;
        this.outbox = outbox;
        this.fence = fence;
    }

    private record Key(long teamId, String distinctId) {}

    /** One person as this batch sees it. {@code person} is null while the distinct id has no person. */
    private static final class Holder {
        private final Key firstKey;
        private Person person;
        private boolean created;
        private boolean dirty;
        /** Every operation this batch applied, to re-apply on a fresh read after a conflict. */
        private final List<PropertyUpdates> applied = new ArrayList<>();
        /** Distinct ids an identify added to this person in memory, and the identify each stands for. */
        private final Map<String, PersonProcessor.Request> addedDistinctIds = new LinkedHashMap<>();

        private Holder(Key firstKey) {
            this.firstKey = firstKey;
        }

        private void written() {
            dirty = false;
            created = false;
            applied.clear();
            addedDistinctIds.clear();
        }
    }

    /** The JSON text of a person's properties, written once per properties node and batch. */
    @Override
    public String json(ObjectNode properties) {
        return embeddedJson(properties).text();
    }

    @Override
    public EmbeddedJson embeddedJson(ObjectNode properties) {
        return jsonOfProperties.computeIfAbsent(properties, p -> EmbeddedJson.of(Json.write(p)));
    }

    /** Reads the persons of these distinct ids in one query (ids already known to the batch are skipped). */
    public void prefetch(long teamId, Collection<String> distinctIds) {
        List<String> missing = distinctIds.stream().distinct().filter(id -> !byDistinctId.containsKey(new Key(teamId, id)))
                .toList();
        if (missing.isEmpty()) {
            return;
        }
        Map<String, Person> found = persons.findAll(teamId, missing);
        for (String distinctId : missing) {
            Key key = new Key(teamId, distinctId);
            Person person = found.get(distinctId);
            Holder holder = person == null ? new Holder(key) : byPersonId.get(person.id());
            if (holder == null) {
                holder = new Holder(key);
                hold(holder, person);
            }
            byDistinctId.put(key, holder);
        }
    }

    @Override
    public Map<String, Person> personsOf(long teamId, List<String> distinctIds) {
        prefetch(teamId, distinctIds);
        Map<String, Person> found = new HashMap<>();
        for (String distinctId : distinctIds) {
            Holder holder = byDistinctId.get(new Key(teamId, distinctId));
            if (holder.person != null) {
                found.put(distinctId, holder.person);
            }
        }
        return found;
    }

    @Override
    public Optional<Person> personlessPersonOf(long teamId, String distinctId) {
        persons.markPersonless(teamId, distinctId);
        Holder holder = byDistinctId.get(new Key(teamId, distinctId));
        return holder != null ? Optional.ofNullable(holder.person) : persons.find(teamId, distinctId);
    }

    @Override
    public Person create(NewPerson fresh, List<String> distinctIds, PersonProcessor.Request cause) {
        Key first = new Key(fresh.teamId(), distinctIds.getFirst());
        Holder holder = new Holder(first);
        holder.created = true;
        holder.dirty = true;
        holder.applied.add(cause.updates());
        Person person = hold(holder, new Person(0, fresh.uuid(), fresh.teamId(), fresh.createdAt(), fresh.properties(),
                fresh.identified(), 0));
        byDistinctId.put(first, holder);
        for (String other : distinctIds.subList(1, distinctIds.size())) {
            holder.addedDistinctIds.put(other, cause);
            byDistinctId.put(new Key(fresh.teamId(), other), holder);
        }
        return person;
    }

    @Override
    public Person update(Person person, ObjectNode properties, boolean identified, PropertyUpdates cause) {
        Holder holder = holderOf(person);
        Person p = holder.person;
        holder.dirty = true;
        holder.applied.add(cause);
        return hold(holder, new Person(p.id(), p.uuid(), p.teamId(), p.createdAt(), properties, identified, p.version()));
    }

    /** The change stays in memory; {@link #write()} stores it only along with a change worth writing. */
    @Override
    public Person viewWith(Person person, ObjectNode properties, PropertyUpdates cause) {
        Holder holder = holderOf(person);
        Person p = holder.person;
        holder.applied.add(cause);
        return hold(holder, new Person(p.id(), p.uuid(), p.teamId(), p.createdAt(), properties, p.isIdentified(),
                p.version()));
    }

    @Override
    public void addDistinctId(Person person, String distinctId, PersonProcessor.Request cause) {
        Holder holder = holderOf(person);
        holder.addedDistinctIds.put(distinctId, cause);
        holder.dirty = true;
        byDistinctId.put(new Key(person.teamId(), distinctId), holder);
    }

    @Override
    public Person merge(Person source, Person target, ObjectNode properties, Instant createdAt, long version) {
        throw new UnsupportedOperationException("a merge of two persons needs current rows: run it inside locked()");
    }

    @Override
    public <T> T locked(long teamId, List<String> distinctIds, Function<PersonStore, T> work) {
        write(holdersOf(teamId, distinctIds));
        LockedPersonStore store = new LockedPersonStore(persons, this::json);
        List<Long> ids = new ArrayList<>(1);
        T result = transactions.execute(status -> {
            fence.run();
            T done = work.apply(store);
            ids.addAll(outbox.append(store.rows()));
            return done;
        });
        outboxIds.addAll(ids);
        rows.addAll(store.rows());
        learn(teamId, store);
        return result;
    }

    /**
     * Writes every pending change in one transaction; returns the identifies whose distinct id another consumer took
     * meanwhile, for the processor to run again (their ids are forgotten, so the next read finds the current owner).
     */
    public List<PersonProcessor.Request> write() {
        Set<Holder> holders = Collections.newSetFromMap(new IdentityHashMap<>());
        holders.addAll(byDistinctId.values());
        write(holders);
        List<PersonProcessor.Request> lost = List.copyOf(lostJoins);
        lostJoins.clear();
        return lost;
    }

    /**
     * The rows for ClickHouse of everything written so far, and nothing for persons the batch read but did not write
     * (a batch that committed to PostgreSQL and died before producing leaves its rows in the outbox, which the
     * sweeper produces).
     */
    public List<OutgoingRecord> rows() {
        return List.copyOf(rows);
    }

    /** The outbox rows this batch's transactions wrote: to delete once Kafka acknowledged {@link #rows()}. */
    public List<Long> outboxIds() {
        return List.copyOf(outboxIds);
    }

    private Set<Holder> holdersOf(long teamId, List<String> distinctIds) {
        Set<Holder> holders = Collections.newSetFromMap(new IdentityHashMap<>());
        for (String distinctId : distinctIds) {
            Holder holder = byDistinctId.get(new Key(teamId, distinctId));
            if (holder != null) {
                holders.add(holder);
            }
        }
        return holders;
    }

    private Holder holderOf(Person person) {
        Holder holder = byInstance.get(person);
        if (holder == null) {
            throw new IllegalArgumentException("not a person of this batch: " + person.uuid());
        }
        return holder;
    }

    private Person hold(Holder holder, Person person) {
        holder.person = person;
        byInstance.put(person, holder);
        if (person.id() != 0) {
            byPersonId.put(person.id(), holder);
        }
        return person;
    }

    /** What a locked transaction read and wrote replaces what the batch knew of those persons. */
    private void learn(long teamId, LockedPersonStore store) {
        for (Map.Entry<Long, Person> merged : store.mergedInto().entrySet()) {
            Holder gone = byPersonId.remove(merged.getKey());
            if (gone != null) {
                Holder target = holderFor(merged.getValue(), gone.firstKey);
                byDistinctId.replaceAll((key, holder) -> holder == gone ? target : holder);
            }
        }
        for (Map.Entry<String, Person> entry : store.current().entrySet()) {
            Key key = new Key(teamId, entry.getKey());
            byDistinctId.put(key, holderFor(entry.getValue(), key));
        }
    }

    private Holder holderFor(Person person, Key key) {
        Holder holder = byPersonId.get(person.id());
        if (holder == null) {
            holder = new Holder(key);
        }
        hold(holder, person);
        return holder;
    }

    private void write(Set<Holder> holders) {
        List<Holder> dirty = holders.stream().filter(h -> h.dirty).toList();
        if (!dirty.isEmpty()) {
            List<Long> ids = new ArrayList<>(1);
            List<OutgoingRecord> written = transactions.execute(status -> {
                fence.run();
                List<OutgoingRecord> records = writeAll(dirty);
                ids.addAll(outbox.append(records));
                return records;
            });
            outboxIds.addAll(ids);
            rows.addAll(written);
        }
        holders.forEach(Holder::written);
    }

    /** Inside the write transaction: new persons, their first distinct ids, changed persons, then joining ids. */
    private List<OutgoingRecord> writeAll(List<Holder> dirty) {
        List<OutgoingRecord> written = new ArrayList<>();
        List<Holder> created = dirty.stream().filter(h -> h.created).toList();
        List<Holder> changed = dirty.stream().filter(h -> !h.created).toList();
        List<Holder> conflicted = new ArrayList<>();

        Map<UUID, Person> inserted = persons.insertAll(created.stream().map(h -> new NewPerson(h.person.teamId(),
                h.person.uuid(), h.person.createdAt(), h.person.properties(), h.person.isIdentified())).toList(), this::json);
        List<PersonRepository.NewDistinctId> firstIds = new ArrayList<>();
        for (Holder holder : created) {
            Person person = inserted.get(holder.person.uuid());
            if (person != null) {
                firstIds.add(new PersonRepository.NewDistinctId(person.teamId(), person.id(), holder.firstKey.distinctId()));
            }
        }
        Map<PersonRepository.DistinctIdKey, Long> firstAdded = persons.addDistinctIds(firstIds);
        List<Long> orphans = new ArrayList<>();
        for (Holder holder : created) {
            Person person = inserted.get(holder.person.uuid());
            Long version = person == null ? null
                    : firstAdded.get(new PersonRepository.DistinctIdKey(person.teamId(), holder.firstKey.distinctId()));
            if (version == null) {
                // Its uuid or its distinct id was taken meanwhile; a person inserted without its distinct id goes.
                if (person != null) {
                    orphans.add(person.id());
                }
                conflicted.add(holder);
                continue;
            }
            hold(holder, person);
            written.add(PersonRows.person(person, json(person.properties())));
            written.add(PersonRows.distinctId(person, holder.firstKey.distinctId(), version));
        }
        persons.deleteAll(orphans);

        Map<Long, Person> updated = persons.updateAllIfVersion(changed.stream().map(h -> h.person).toList(), this::json);
        for (Holder holder : changed) {
            Person person = updated.get(holder.person.id());
            if (person == null) {
                conflicted.add(holder);
                continue;
            }
            hold(holder, person);
            written.add(PersonRows.person(person, json(person.properties())));
        }
        for (Holder holder : conflicted) {
            written.addAll(writeAfterConflict(holder));
        }

        List<PersonRepository.NewDistinctId> joining = new ArrayList<>();
        for (Holder holder : dirty) {
            holder.addedDistinctIds.keySet().forEach(id -> joining.add(new PersonRepository.NewDistinctId(
                    holder.person.teamId(), holder.person.id(), id)));
        }
        Map<PersonRepository.DistinctIdKey, Long> added = persons.addDistinctIds(joining);
        for (Holder holder : dirty) {
            for (Map.Entry<String, PersonProcessor.Request> entry : holder.addedDistinctIds.entrySet()) {
                Long version = added.get(new PersonRepository.DistinctIdKey(holder.person.teamId(), entry.getKey()));
                if (version != null) {
                    written.add(PersonRows.distinctId(holder.person, entry.getKey(), version));
                } else {
                    // Taken by another consumer meanwhile: the identify runs again, and finds the id's real person.
                    lostJoins.add(entry.getValue());
                    byDistinctId.remove(new Key(holder.person.teamId(), entry.getKey()));
                }
            }
        }
        return written;
    }

    /**
     * Someone else wrote this person (or took its first distinct id) since the batch read it: read it again, locked,
     * and re-apply this batch's operations on top; if the distinct id has no person after all, create it now.
     */
    private List<OutgoingRecord> writeAfterConflict(Holder holder) {
        long teamId = holder.firstKey.teamId();
        String distinctId = holder.firstKey.distinctId();
        LockedPersonStore store = new LockedPersonStore(persons, this::json);
        Person current = store.personsOf(teamId, List.of(distinctId)).get(distinctId);
        if (current == null) {
            Person mine = holder.person;
            current = store.create(new NewPerson(teamId, mine.uuid(), mine.createdAt(), mine.properties(),
                    mine.isIdentified()), List.of(distinctId), null);
        } else {
            ObjectNode properties = current.properties();
            boolean changed = false;
            for (PropertyUpdates updates : holder.applied) {
                PropertyUpdates.Applied applied = updates.applyTo(properties);
                properties = applied.properties();
                changed |= applied.changed();
            }
            boolean identified = current.isIdentified() || holder.person.isIdentified();
            if (changed || identified != current.isIdentified()) {
                current = store.update(current, properties, identified, null);
            }
        }
        hold(holder, current);
        return store.rows();
    }
}
