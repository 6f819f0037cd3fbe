package dev.ingest.plugin.person;

import dev.ingest.common.id.Uuids;
import dev.ingest.common.kafka.OutgoingRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import org.springframework.dao.ConcurrencyFailureException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The rules of person processing (docs/posthog-compatibility.md#persons-and-merges, #person-properties,
 * #personless-events), the only place that holds them, over a {@link PersonStore}: find or create the person of the
 * event's distinct id and apply {@code $set} / {@code $set_once} / {@code $unset}; for {@code $identify},
 * {@code $create_alias} and {@code $merge_dangerously} join the other distinct id, or merge its person, or refuse;
 * personless events write no person. A merge of two persons runs in {@link PersonStore#locked} on current rows; one
 * that loses a race is tried again, and after {@value #MAX_ATTEMPTS} attempts the event is processed without the
 * merge and warns {@code merge_race_condition}.
 */
public final class PersonProcessor {
    static final int MAX_ATTEMPTS = 5;
    /** person_created_at of personless events, as PostHog writes it. */
    public static final Instant PERSONLESS_CREATED_AT = Instant.parse("1970-01-01T00:00:05Z");

    private final LongAdder updatesWritten = new LongAdder();
    private final LongAdder updatesUnwritten = new LongAdder();

    /**
     * @param mergeFrom the other distinct id this event asks to merge into {@code distinctId}, or null
     */
    public record Request(long teamId, String distinctId, String eventName, String mergeFrom, PropertyUpdates updates,
            Instant timestamp, String eventUuid) {}

    public record Warning(String type, Map<String, Object> details) {}

    /** The person as it is after this event, and warnings for the project. */
    public record Outcome(Person person, List<Warning> warnings) {}

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

    /** Changes to existing persons this processor decided to write, since it was made (metrics). */
    public long updatesWritten() {
        return updatesWritten.sum();
    }

    /** Changes to existing persons left unwritten: only frequently changing keys moved (metrics). */
    public long updatesUnwritten() {
        return updatesUnwritten.sum();
    }

    /** An event with person processing on. */
    public Outcome process(PersonStore store, Request request) {
        List<Warning> warnings = new ArrayList<>();
        String a = request.mergeFrom();
        String b = request.distinctId();
        if (a == null || a.equals(b)) {
            return new Outcome(plain(store, request, warnings), warnings);
        }
        if (IllegalDistinctIds.isIllegal(b) || IllegalDistinctIds.isIllegal(a)) {
            String illegal = IllegalDistinctIds.isIllegal(b) ? b : a;
            warnings.add(new Warning("cannot_merge_with_illegal_distinct_id", details("illegalDistinctId", illegal,
                    "otherDistinctId", illegal.equals(b) ? a : b, "eventUuid", request.eventUuid())));
            return new Outcome(plain(store, request, warnings), warnings);
        }
        Map<String, Person> found = store.personsOf(request.teamId(), List.of(b, a));
        if (!twoPersons(found.get(a), found.get(b))) {
            return join(store, found, request, warnings);
        }
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                return store.locked(request.teamId(), List.of(b, a), locked -> join(locked,
                        locked.personsOf(request.teamId(), List.of(b, a)), request, new ArrayList<>(warnings)));
            } catch (PersonStore.LostRaceException | ConcurrencyFailureException e) {
                // Someone else changed these persons between our read and our write, or PostgreSQL chose this
                // transaction as a deadlock victim: read again.
            }
        }
        warnings.add(new Warning("merge_race_condition", details("distinctId", b, "otherDistinctId", a,
                "eventUuid", request.eventUuid())));
        return new Outcome(plain(store, request, warnings), warnings);
    }

    /**
     * A personless event ({@code $process_person_profile: false}) writes no person: the store records that the
     * distinct id was used so (a person created for it later re-points those events), and the event row shows the
     * existing person without properties (force_upgrade), or none.
     */
    public Optional<Person> personless(PersonStore store, long teamId, String distinctId) {
        return store.personlessPersonOf(teamId, distinctId).map(p -> new Person(p.id(), p.uuid(), p.teamId(),
                p.createdAt(), JsonNodeFactory.instance.objectNode(), p.isIdentified(), p.version()));
    }

    /** The person row of a personless event whose distinct id has no person: its deterministic uuid, no properties. */
    public static Person personlessPerson(long teamId, String distinctId) {
        return new Person(0, Uuids.personUuid(teamId, distinctId), teamId, PERSONLESS_CREATED_AT,
                JsonNodeFactory.instance.objectNode(), false, 0);
    }

    /**
     * Writes the batch and runs again the identifies whose distinct id another consumer took meanwhile (now merges
     * with that consumer's person), until none is left; {@code warned} gets their warnings. Returns every row the
     * batch owes ClickHouse.
     */
    public List<OutgoingRecord> flush(BatchPersonStore store, BiConsumer<Request, Warning> warned) {
        for (List<Request> lost = store.write(); !lost.isEmpty(); lost = store.write()) {
            for (Request request : lost) {
                process(store, request).warnings().forEach(warning -> warned.accept(request, warning));
            }
        }
        return store.rows();
    }

    /** No merge: find or create the person of the distinct id and apply the property operations. */
    private Person plain(PersonStore store, Request request, List<Warning> warnings) {
        Person person = store.personsOf(request.teamId(), List.of(request.distinctId())).get(request.distinctId());
        if (person == null) {
            return create(store, request, List.of(request.distinctId()), false, warnings);
        }
        return applyUpdates(store, person, request, false, warnings);
    }

    /**
     * Joining A (the other id) and B (the event's id), step 3 of docs/posthog-compatibility.md#persons-and-merges,
     * with the persons the store found: neither (one identified person for both), one of them (the other id joins
     * it), the same, or two (a merge, which {@code store} must have read locked).
     */
    private Outcome join(PersonStore store, Map<String, Person> found, Request request, List<Warning> warnings) {
        String a = request.mergeFrom();
        String b = request.distinctId();
        Person pa = found.get(a);
        Person pb = found.get(b);
        if (pa == null && pb == null) {
            return new Outcome(create(store, request, List.of(b, a), true, warnings), warnings);
        }
        if (!twoPersons(pa, pb)) {
            Person existing = pb != null ? pb : pa;
            if (pa == null) {
                store.addDistinctId(pb, a, request);
            } else if (pb == null) {
                store.addDistinctId(pa, b, request);
            }
            return new Outcome(applyUpdates(store, existing, request, true, warnings), warnings);
        }
        if (!"$merge_dangerously".equals(request.eventName()) && pa.isIdentified()) {
            // Only the source person's identification blocks a merge; the target still gets the event's updates.
            warnings.add(new Warning("cannot_merge_already_identified",
                    details("sourcePersonDistinctId", a, "targetPersonDistinctId", b, "eventUuid", request.eventUuid())));
            return new Outcome(applyUpdates(store, pb, request, true, warnings), warnings);
        }
        // The target's properties win over the source's, then the event's operations apply.
        ObjectNode properties = pa.properties().deepCopy();
        properties.setAll(pb.properties());
        PropertyUpdates.Applied applied = request.updates().applyTo(properties);
        ObjectNode merged = withinSizeLimit(store, pb, properties, applied.properties(), request, warnings);
        Instant createdAt = pa.createdAt().isBefore(pb.createdAt()) ? pa.createdAt() : pb.createdAt();
        long version = Math.max(pa.version(), pb.version()) + 1;
        return new Outcome(store.merge(pa, pb, merged, createdAt, version), warnings);
    }

    /** Both ids have a person, and not the same one (a batch's new persons have no id yet, but one instance). */
    private static boolean twoPersons(Person pa, Person pb) {
        return pa != null && pb != null && pa != pb && !(pa.id() != 0 && pa.id() == pb.id());
    }

    /** A new person from the event: $set_once, then $set, and the event that created it. */
    private Person create(PersonStore store, Request request, List<String> distinctIds, boolean identified,
            List<Warning> warnings) {
        ObjectNode properties = request.updates().initialProperties();
        properties.put("$creator_event_uuid", request.eventUuid());
        UUID uuid = Uuids.personUuid(request.teamId(), distinctIds.getFirst());
        PropertySizeLimit.Verdict verdict = PropertySizeLimit.check(null, properties, store::json);
        if (!verdict.allowed()) {
            warnings.add(sizeViolation(uuid, request, verdict));
        }
        return store.create(new NewPerson(request.teamId(), uuid, request.timestamp(), verdict.properties(), identified),
                distinctIds, request);
    }

    /**
     * The property operations, and is_identified once a merge with two legal, different ids was attempted. Changes to
     * frequently changing keys alone stay in the store's view and are not written
     * (docs/posthog-compatibility.md#lean-person-writes).
     */
    private Person applyUpdates(PersonStore store, Person person, Request request, boolean identify,
            List<Warning> warnings) {
        PropertyUpdates updates = request.updates();
        PropertyUpdates.Applied applied = updates.applyTo(person.properties());
        boolean identified = person.isIdentified() || identify;
        if (identified == person.isIdentified()) {
            if (!applied.changed()) {
                return person;
            }
            if (!applied.worthWriting()) {
                updatesUnwritten.increment();
                return store.viewWith(person, applied.properties(), updates);
            }
        }
        ObjectNode properties = applied.changed()
                ? withinSizeLimit(store, person, person.properties(), applied.properties(), request, warnings)
                : applied.properties();
        if (properties == person.properties() && identified == person.isIdentified()) {
            return person; // the update was refused
        }
        updatesWritten.increment();
        return store.update(person, properties, identified, updates);
    }

    /** The properties to write instead of {@code proposed}: the same, unless they cross the size limit. */
    private static ObjectNode withinSizeLimit(PersonStore store, Person person, ObjectNode current, ObjectNode proposed,
            Request request, List<Warning> warnings) {
        PropertySizeLimit.Verdict verdict = PropertySizeLimit.check(current, proposed, store::json);
        if (!verdict.allowed()) {
            warnings.add(sizeViolation(person.uuid(), request, verdict));
        }
        return verdict.properties();
    }

    private static Warning sizeViolation(UUID personUuid, Request request, PropertySizeLimit.Verdict verdict) {
        return new Warning("person_properties_size_violation", details("personId", personUuid.toString(),
                "distinctId", request.distinctId(), "eventUuid", request.eventUuid(), "teamId", request.teamId(),
                "message", verdict.problem()));
    }

    private static Map<String, Object> details(Object... keyValues) {
        Map<String, Object> details = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            details.put((String) keyValues[i], keyValues[i + 1]);
        }
        return details;
    }
}
