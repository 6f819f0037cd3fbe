package dev.ingest.plugin.person;

import dev.ingest.common.id.Uuids;
import dev.ingest.common.json.Json;
import dev.ingest.common.kafka.OutgoingRecord;
import dev.ingest.plugin.kafka.ClickHouseRows;
import dev.ingest.plugin.outbox.ClickHouseOutbox;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.node.ObjectNode;

/**
 * Person state for one poll batch: the persons of every distinct id the batch touches are read in one query per
 * project, ordinary events apply their property operations in memory, and the batch's writes go to PostgreSQL in one
 * transaction at {@link #flush()} (new persons and their distinct ids as multi-row inserts, changed persons as one
 * version-checked update). Merges flush first and then run as their own transactions, as before.
 *
 * <p>Safe without cross-batch caching: nothing survives the batch, and a person another consumer changed meanwhile
 * (its version moved, or its distinct id was taken) is re-read and this batch's operations re-applied to it. One
 * instance per batch and thread.
 */
public final class PersonBatch {
    private final PersonRepository persons;
    private final TransactionTemplate transactions;
    /** Distinct id -> the person it points at; several distinct ids of one person share one holder. */
    private final Map<Key, Holder> byDistinctId = new HashMap<>();
    /**
     * The JSON text of person properties this batch wrote already, by node identity: a person's properties go into
     * every one of its events' rows and into its own row, and writing them is the costliest part of an event. Safe
     * because a person's properties node is never changed in place (PropertyUpdates copies before it changes).
     */
    private final Map<ObjectNode, String> jsonOfProperties = new IdentityHashMap<>();
    /** Stored person id -> its holder, so two distinct ids of one person read separately share one holder. */
    private final Map<Long, Holder> byPersonId = new HashMap<>();

    private final PersonProcessor processor;
    private final ClickHouseOutbox outbox;

    public PersonBatch(PersonRepository persons, TransactionTemplate transactions, PersonProcessor processor,
            ClickHouseOutbox outbox) {
        this.persons = persons;
        this.transactions = transactions;
        this.processor = processor;
        this.outbox = outbox;
    }

    private record Key(long teamId, String distinctId) {}

    /** One person as this batch sees it. {@code person} is null while the distinct id has no person. */
    private static final class Holder {
        private final Key firstKey;
        private Person person;
        private boolean created;
        private boolean dirty;
        private boolean touched;
        /** Every operation this batch applied, to re-apply on a fresh read after a conflict. */
        private final List<PropertyUpdates> applied = new ArrayList<>();
        /** Distinct ids an identify added to this person in memory, and the merge each stands for. */
        private final Map<String, PersonProcessor.Request> addedDistinctIds = new java.util.LinkedHashMap<>();

        private Holder(Key firstKey, Person person) {
            this.firstKey = firstKey;
            this.person = person;
        }
    }

    /** The JSON text of a person's properties, written once per properties node and batch. */
    public String json(ObjectNode properties) {
        return jsonOfProperties.computeIfAbsent(properties, Json::write);
    }

    /** Reads the persons of these distinct ids in one query (ids already known to the batch are skipped). */
    public void prefetch(long teamId, List<String> distinctIds) {
        List<String> missing = distinctIds.stream().filter(id -> !byDistinctId.containsKey(new Key(teamId, id))).toList();
        if (missing.isEmpty()) {
            return;
        }
        Map<String, Person> found = persons.findAll(teamId, missing);
        for (String distinctId : missing) {
            Key key = new Key(teamId, distinctId);
            Person person = found.get(distinctId);
            Holder holder = person == null ? new Holder(key, null)
                    : byPersonId.computeIfAbsent(person.id(), id -> new Holder(key, person));
            byDistinctId.put(key, holder);
        }
    }

    /** An ordinary event: the person after its property operations, created (in memory) if new. */
    public Person apply(long teamId, String distinctId, PropertyUpdates updates, Instant timestamp, String eventUuid) {
        Key key = new Key(teamId, distinctId);
        if (!byDistinctId.containsKey(key)) {
            prefetch(teamId, List.of(distinctId));
        }
        Holder holder = byDistinctId.get(key);
        holder.touched = true;
        if (holder.person == null) {
            ObjectNode properties = updates.initialProperties();
            properties.put("$creator_event_uuid", eventUuid);
            holder.person = new Person(0, Uuids.personUuid(teamId, distinctId), teamId, timestamp, properties, false, 0);
            holder.created = true;
            holder.dirty = true;
            holder.applied.add(updates);
            return holder.person;
        }
        PropertyUpdates.Applied result = updates.applyTo(holder.person.properties());
        if (result.changed()) {
            Person p = holder.person;
            holder.person = new Person(p.id(), p.uuid(), p.teamId(), p.createdAt(), result.properties(), p.isIdentified(), p.version());
            holder.dirty = true;
            holder.applied.add(updates);
        }
        return holder.person;
    }

    /**
     * An identify, alias or merge of two legal, different distinct ids, in memory when at most one of them has a person
     * (docs/posthog-compatibility.md#persons-and-merges: only A's person, only B's, or neither): the other id joins
     * that person, which becomes identified, and the event's operations apply. Returns empty when both have persons
     * already: a real merge, for {@link PersonProcessor} in its own transaction.
     */
    public java.util.Optional<Person> identify(PersonProcessor.Request request) {
        long teamId = request.teamId();
        String b = request.distinctId();
        String a = request.mergeFrom();
        prefetch(teamId, List.of(b, a));
        Holder ha = byDistinctId.get(new Key(teamId, a));
        Holder hb = byDistinctId.get(new Key(teamId, b));
        Holder target;
        String joining;
        if (ha.person != null && hb.person != null) {
            if (ha != hb) {
                return java.util.Optional.empty();
            }
            target = hb;
            joining = null;
        } else if (hb.person != null) {
            target = hb;
            joining = a;
        } else if (ha.person != null) {
            target = ha;
            joining = b;
        } else {
            // Neither: one identified person for both, created with b's deterministic uuid.
            ObjectNode properties = request.updates().initialProperties();
            properties.put("$creator_event_uuid", request.eventUuid());
            target = new Holder(new Key(teamId, b), new Person(0, Uuids.personUuid(teamId, b), teamId, request.timestamp(),
                    properties, true, 0));
            target.created = true;
            target.dirty = true;
            target.touched = true;
            target.applied.add(request.updates());
            byDistinctId.put(new Key(teamId, b), target);
            target.addedDistinctIds.put(a, request);
            byDistinctId.put(new Key(teamId, a), target);
            return java.util.Optional.of(target.person);
        }
        target.touched = true;
        if (joining != null) {
            target.addedDistinctIds.put(joining, request);
            byDistinctId.put(new Key(teamId, joining), target);
            target.dirty = true;
        }
        Person p = target.person;
        PropertyUpdates.Applied result = request.updates().applyTo(p.properties());
        if (result.changed() || !p.isIdentified()) {
            target.person = new Person(p.id(), p.uuid(), p.teamId(), p.createdAt(), result.properties(), true, p.version());
            target.dirty = true;
            target.applied.add(request.updates());
        }
        return java.util.Optional.of(target.person);
    }

    /** Forgets these distinct ids and every other id of the same persons (after a merge changed them). */
    public void forget(long teamId, String... distinctIds) {
        Set<Holder> stale = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (String distinctId : distinctIds) {
            if (distinctId != null) {
                Holder holder = byDistinctId.get(new Key(teamId, distinctId));
                if (holder != null) {
                    stale.add(holder);
                }
            }
        }
        byDistinctId.values().removeIf(stale::contains);
        byPersonId.values().removeIf(stale::contains);
    }

    /**
     * Writes every pending change in one transaction; returns the rows for ClickHouse: every person this batch
     * touched, changed or not. TRICKY: a batch that committed to PostgreSQL but died before producing is processed
     * again, finds nothing to change, and would otherwise never send the person row ClickHouse missed.
     */
    public List<OutgoingRecord> flush() {
        Set<Holder> holders = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        holders.addAll(byDistinctId.values());
        return flush(holders);
    }

    /** Writes the pending changes of these distinct ids' persons only: what a merge of them must see first. */
    public List<OutgoingRecord> flush(long teamId, String... distinctIds) {
        Set<Holder> holders = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (String distinctId : distinctIds) {
            Holder holder = distinctId == null ? null : byDistinctId.get(new Key(teamId, distinctId));
            if (holder != null) {
                holders.add(holder);
            }
        }
        return flush(holders);
    }

    private final List<PersonProcessor.Request> lostJoins = new ArrayList<>();

    private List<OutgoingRecord> flush(Set<Holder> holders) {
        List<Holder> dirty = holders.stream().filter(h -> h.dirty).toList();
        List<OutgoingRecord> rows = new ArrayList<>();
        if (!dirty.isEmpty()) {
            // The rows go to the outbox in the same transaction (see PersonProcessor): a crash before Kafka acknowledged
            // them no longer loses them.
            rows.addAll(transactions.execute(status -> {
                List<OutgoingRecord> written = write(dirty);
                outbox.append(written);
                return written;
            }));
        }
        for (Holder holder : holders) {
            if (holder.touched && !holder.dirty && holder.person != null && holder.person.id() != 0) {
                rows.add(PersonProcessor.personRow(holder.person, json(holder.person.properties())));
            }
        }
        for (Holder holder : holders) {
            holder.dirty = false;
            holder.created = false;
            holder.touched = false;
            holder.applied.clear();
            holder.addedDistinctIds.clear();
        }
        if (!lostJoins.isEmpty()) {
            List<PersonProcessor.Request> merges = List.copyOf(lostJoins);
            lostJoins.clear();
            for (PersonProcessor.Request merge : merges) {
                PersonProcessor.Outcome outcome = processor.process(merge);
                rows.addAll(outcome.rows());
                forget(merge.teamId(), merge.distinctId(), merge.mergeFrom());
            }
        }
        return rows;
    }

    /** The holder's person as stored now, findable by its id for distinct ids read later in the batch. */
    private void remember(Holder holder, Person stored) {
        holder.person = stored;
        byPersonId.put(stored.id(), holder);
    }

    private List<OutgoingRecord> write(List<Holder> dirty) {
        List<OutgoingRecord> rows = new ArrayList<>();
        List<Holder> created = dirty.stream().filter(h -> h.created).toList();
        List<Holder> changed = dirty.stream().filter(h -> !h.created).toList();
        List<Holder> retry = new ArrayList<>();
        if (!created.isEmpty()) {
            List<PersonRepository.NewPerson> fresh = created.stream().map(h -> new PersonRepository.NewPerson(h.person.teamId(),
                    h.person.uuid(), h.person.createdAt(), h.person.properties(), h.firstKey.distinctId(),
                    h.person.isIdentified())).toList();
            Map<UUID, Person> inserted = persons.createAll(fresh, this::json);
            for (Holder holder : created) {
                Person person = inserted.get(holder.person.uuid());
                if (person == null) {
                    retry.add(holder);
                    continue;
                }
                remember(holder, person);
                rows.add(PersonProcessor.personRow(person, json(person.properties())));
                rows.add(ClickHouseRows.personDistinctId(person.uuid(), person.teamId(), holder.firstKey.distinctId(), 0, false));
            }
        }
        Map<Long, Person> updated = persons.updateAllIfVersion(changed.stream().map(h -> h.person).toList(), this::json);
        for (Holder holder : changed) {
            Person person = updated.get(holder.person.id());
            if (person == null) {
                retry.add(holder);
                continue;
            }
            remember(holder, person);
            rows.add(PersonProcessor.personRow(person, json(person.properties())));
        }
        for (Holder holder : retry) {
            rows.addAll(writeAfterConflict(holder));
        }
        List<PersonRepository.NewDistinctId> joining = new ArrayList<>();
        for (Holder holder : dirty) {
            if (holder.person.id() != 0) {
                holder.addedDistinctIds.keySet().forEach(id -> joining.add(new PersonRepository.NewDistinctId(
                        holder.person.teamId(), holder.person.id(), id)));
            }
        }
        Map<String, Long> added = persons.addDistinctIds(joining);
        for (Holder holder : dirty) {
            for (Map.Entry<String, PersonProcessor.Request> entry : holder.addedDistinctIds.entrySet()) {
                Long version = added.get(entry.getKey());
                if (version != null) {
                    rows.add(ClickHouseRows.personDistinctId(holder.person.uuid(), holder.person.teamId(), entry.getKey(),
                            version, false));
                } else {
                    // Taken by another consumer meanwhile: after this transaction, the merge runs for real.
                    lostJoins.add(entry.getValue());
                }
            }
        }
        return rows;
    }

    /**
     * Someone else wrote this person (or took this distinct id) since the batch read it: read it again, locked, and
     * re-apply this batch's operations on top, as the per-event path would have.
     */
    private List<OutgoingRecord> writeAfterConflict(Holder holder) {
        List<OutgoingRecord> rows = new ArrayList<>();
        long teamId = holder.firstKey.teamId();
        String distinctId = holder.firstKey.distinctId();
        Person current = persons.findForUpdate(teamId, distinctId).orElse(null);
        if (current == null) {
            // The uuid was taken (by a person this distinct id was merged away from): create with a fresh uuid.
            long version = persons.claimDistinctIdVersion(teamId, distinctId);
            Person person = persons.create(teamId, UUID.randomUUID(), holder.person.createdAt(), holder.person.properties(), false,
                    distinctId, version).orElseThrow(PersonProcessor.LostRaceException::new);
            remember(holder, person);
            rows.add(PersonProcessor.personRow(person, json(person.properties())));
            rows.add(ClickHouseRows.personDistinctId(person.uuid(), teamId, distinctId, version, false));
            return rows;
        }
        ObjectNode properties = current.properties();
        boolean changed = false;
        for (PropertyUpdates updates : holder.applied) {
            PropertyUpdates.Applied applied = updates.applyTo(properties);
            properties = applied.properties();
            changed |= applied.changed();
        }
        if (changed) {
            current = persons.update(current, properties, current.isIdentified());
            rows.add(PersonProcessor.personRow(current, json(current.properties())));
        }
        remember(holder, current);
        return rows;
    }
}
