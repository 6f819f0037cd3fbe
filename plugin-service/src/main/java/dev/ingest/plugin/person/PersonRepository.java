package dev.ingest.plugin.person;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/** Persons and distinct ids in PostgreSQL. Methods run inside the caller's transaction. */
public interface PersonRepository {
    /** The person of a distinct id, locked for update. */
    Optional<Person> findForUpdate(long teamId, String distinctId);

    /** The persons of several distinct ids, every row locked, in a stable order (no deadlocks between merges). */
    Map<String, Person> findAllForUpdate(long teamId, List<String> distinctIds);

    /** The person of a distinct id, not locked. */
    Optional<Person> find(long teamId, String distinctId);

    /** Inserts a person and its first distinct id; empty when the distinct id was taken concurrently. */
    Optional<Person> create(long teamId, UUID uuid, Instant createdAt, ObjectNode properties, boolean identified,
            String distinctId, long distinctIdVersion);

    /** Points a new distinct id at a person; false when the distinct id was taken concurrently. */
    boolean addDistinctId(long teamId, long personId, String distinctId, long version);

    /** Re-points every distinct id of one person to another, each version + 1; returns them with their new versions. */
    List<DistinctIdVersion> moveDistinctIds(long teamId, long fromPersonId, long toPersonId);

    /** Writes new properties (and identification), bumping the version; returns the updated person. */
    Person update(Person person, ObjectNode properties, boolean identified);

    /** Writes the result of a merge into the target person: properties, creation time, identification, version. */
    Person updateMerged(Person target, ObjectNode properties, Instant createdAt, boolean identified, long version);

    /**
     * Moves what hangs off a merged-away person to the person it merged into: static cohort memberships and feature
     * flag hash-key overrides. On a conflict the target's own entry is kept
     * (docs/posthog-compatibility.md#persons-and-merges).
     */
    void moveAttachments(long teamId, long fromPersonId, long toPersonId);

    void delete(Person person);

    /** Whether the distinct id was used by personless events; records it if not. */
    boolean markPersonless(long teamId, String distinctId);

    /**
     * The version a distinct id's first row gets: 1 when personless events already used it (so ClickHouse re-points
     * those events), else 0. Marks the personless record merged.
     */
    long claimDistinctIdVersion(long teamId, String distinctId);

    record DistinctIdVersion(String distinctId, long version) {}

    /** A person to insert with its first distinct id. */
    record NewPerson(long teamId, UUID uuid, Instant createdAt, ObjectNode properties, String distinctId, boolean identified) {}

    /** A distinct id to point at an existing person. */
    record NewDistinctId(long teamId, long personId, String distinctId) {}

    /**
     * Points several new distinct ids at their persons in one statement; returns those inserted with their versions
     * (1 for ids personless events used before, else 0). Ids taken meanwhile are left out.
     */
    Map<String, Long> addDistinctIds(List<NewDistinctId> distinctIds);

    /** The persons of several distinct ids, not locked, in one query. */
    Map<String, Person> findAll(long teamId, List<String> distinctIds);

    /**
     * Inserts persons and their first distinct ids in two statements; returns the persons fully inserted, by uuid. A
     * person whose uuid or distinct id was taken meanwhile is left out (and not left behind).
     */
    default Map<UUID, Person> createAll(List<NewPerson> persons) {
        return createAll(persons, dev.ingest.common.json.Json::write);
    }

    /**
     * {@link #createAll(List)} with the JSON text of (cleaned) properties from {@code json}: a batch that writes the
     * same properties into ClickHouse rows serialises them once.
     */
    Map<UUID, Person> createAll(List<NewPerson> persons, java.util.function.Function<ObjectNode, String> json);

    /**
     * Writes new properties (and identification: it only ever turns on) of persons whose version is still the one
     * given (version + 1); returns those, by id.
     */
    default Map<Long, Person> updateAllIfVersion(List<Person> persons) {
        return updateAllIfVersion(persons, dev.ingest.common.json.Json::write);
    }

    /** {@link #updateAllIfVersion(List)} with the JSON text of (cleaned) properties from {@code json}. */
    Map<Long, Person> updateAllIfVersion(List<Person> persons, java.util.function.Function<ObjectNode, String> json);
}
