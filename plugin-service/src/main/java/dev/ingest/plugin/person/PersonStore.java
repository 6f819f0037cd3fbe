package dev.ingest.plugin.person;

import dev.ingest.plugin.ingestion.kafka.EmbeddedJson;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where {@link PersonProcessor} reads and writes persons: the processor decides what happens to a person, a store
 * decides when and how it reaches PostgreSQL and which ClickHouse rows that owes. Two implementations:
 * {@link BatchPersonStore} (a poll batch: reads prefetched, writes in memory until the batch's one transaction) and
 * {@link LockedPersonStore} (inside a transaction: locked reads, immediate writes), which
 * {@link #locked(long, List, Function)} hands to the work that must see current rows, the merge of two persons.
 *
 * <p>Persons a store returns are its own: pass them back to it, not to another store.
 */
public interface PersonStore {
    /** The persons of these distinct ids as this store sees them; ids without a person are absent. */
    Map<String, Person> personsOf(long teamId, List<String> distinctIds);

    /**
     * Records that personless events used this distinct id (before reading it, so that a person created for it
     * meanwhile sees the record), then returns its person as stored, if any; the person is not touched.
     */
    Optional<Person> personlessPersonOf(long teamId, String distinctId);

    /** A new person holding these distinct ids, the first of which it was created for. */
    Person create(NewPerson person, List<String> distinctIds, PersonProcessor.Request cause);

    /**
     * The person with these properties and identification; {@code cause} is the event whose operations made them (a
     * store that finds the person changed by someone else re-applies them on the current row).
     */
    Person update(Person person, ObjectNode properties, boolean identified, PropertyUpdates cause);

    /**
     * The person with these properties in this store's view only, not written: they differ from the stored ones only
     * in frequently changing keys ({@link PropertyUpdates.Applied#worthWriting()} false). Later events see them, and
     * the person's next write carries them; if there is none, they are not stored.
     */
    Person viewWith(Person person, ObjectNode properties, PropertyUpdates cause);

    /** The JSON text of these properties as this store writes them (once per properties object where it can). */
    String json(ObjectNode properties);

    /** {@link #json} as rows carry it, escaped once however many event rows of the batch name the person. */
    default EmbeddedJson embeddedJson(ObjectNode properties) {
        return EmbeddedJson.of(json(properties));
    }

    /** Points one more distinct id at the person; {@code cause} is the identify that asked for it. */
    void addDistinctId(Person person, String distinctId, PersonProcessor.Request cause);

    /**
     * Merges {@code source} into {@code target}: the source's distinct ids and attachments move, the source is
     * deleted, the target gets these properties, creation time and version. Only on the store {@link #locked} hands
     * out, whose reads were current.
     */
    Person merge(Person source, Person target, ObjectNode properties, Instant createdAt, long version);

    /**
     * Runs {@code work} on a store whose reads of these distinct ids' persons are current and locked until it
     * returns, and whose writes are committed when it returns (all of them or none). A {@link LostRaceException} or a
     * serialisation failure inside it rolls everything back; the caller may try again.
     */
    <T> T locked(long teamId, List<String> distinctIds, Function<PersonStore, T> work);

    /** Rolls back a locked attempt whose reads went stale: another writer took a distinct id or a person first. */
    final class LostRaceException extends RuntimeException {
        public LostRaceException() {
            super("lost a race with a concurrent person write", null, false, false);
        }
    }
}
