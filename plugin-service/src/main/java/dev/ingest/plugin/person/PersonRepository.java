package dev.ingest.plugin.person;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/** Persons and distinct ids in PostgreSQL. Methods run inside the caller's transaction. */
public interface PersonRepository {
    /** The person of a distinct id, locked for update. */
    Optional<Person> findForUpdate(long teamId, String distinctId);

    /** The person of a distinct id, not locked. */
    Optional<Person> find(long teamId, String distinctId);

    /** Inserts a person and its first distinct id; empty when the distinct id was taken concurrently. */
    Optional<Person> create(long teamId, UUID uuid, Instant createdAt, ObjectNode properties, boolean identified,
            String distinctId, long distinctIdVersion);

    /** Writes new properties (and identification), bumping the version; returns the updated person. */
    Person update(Person person, ObjectNode properties, boolean identified);

    /** Whether the distinct id was used by personless events; records it if not. */
    boolean markPersonless(long teamId, String distinctId);
}
