package dev.ingest.plugin.person;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import tools.jackson.databind.node.ObjectNode;

/**
 * Persons and distinct ids in PostgreSQL, statement by statement: no rule of person processing lives here (those are
 * {@link PersonProcessor}'s, and what to do when a write finds a row taken is the {@link PersonStore}'s). Methods run
 * inside the caller's transaction. Writes that take {@code json} get the JSON text of (cleaned) properties from it,
 * so that a batch writing the same properties into ClickHouse rows serialises them once.
 */
public interface PersonRepository {
    /** The person of a distinct id, not locked. */
    Optional<Person> find(long teamId, String distinctId);

    /** The persons of several distinct ids, not locked, in one query. */
    Map<String, Person> findAll(long teamId, List<String> distinctIds);

    /** The persons of several distinct ids, every row locked, in a stable order (no deadlocks between merges). */
    Map<String, Person> findAllForUpdate(long teamId, List<String> distinctIds);

    /** Inserts one person (version 0); empty when its uuid is taken. */
    Optional<Person> insert(NewPerson person);

    /** Inserts persons (version 0) in one statement; returns those inserted, by uuid (a taken uuid is left out). */
    Map<UUID, Person> insertAll(List<NewPerson> persons, Function<ObjectNode, String> json);

    /** Points a distinct id at a person with this version; false when the distinct id is taken. */
    boolean addDistinctId(long teamId, long personId, String distinctId, long version);

    /**
     * Points several distinct ids at their persons in one statement, each with the version
     * {@link #markPersonlessMerged} gives it; returns those inserted with their versions (a taken id is left out).
     */
    Map<DistinctIdKey, Long> addDistinctIds(List<NewDistinctId> distinctIds);

    /** Re-points every distinct id of one person to another, each version + 1; returns them with their new versions. */
    List<DistinctIdVersion> moveDistinctIds(long teamId, long fromPersonId, long toPersonId);

    /** Writes properties and identification, version + 1, unconditionally (the row is locked); returns the row. */
    Person update(Person person, ObjectNode properties, boolean identified);

    /**
     * Writes properties and identification (it only ever turns on) of persons whose version is still the one given,
     * version + 1; returns those written, by id.
     */
    Map<Long, Person> updateAllIfVersion(List<Person> persons, Function<ObjectNode, String> json);

    /** Writes the result of a merge into the target person: properties, creation time, identification, version. */
    Person updateMerged(Person target, ObjectNode properties, Instant createdAt, boolean identified, long version);

    /**
     * Copies what hangs off one person to another: static cohort memberships and feature flag hash-key overrides,
     * keeping the target's own entry on a conflict. The source's own rows go when it is deleted (ON DELETE CASCADE).
     */
    void copyAttachments(long teamId, long fromPersonId, long toPersonId);

    /** Deletes persons (their distinct ids and attachments go with them). */
    void deleteAll(List<Long> personIds);

    /** Records that personless events used a distinct id; true when they had already. */
    boolean markPersonless(long teamId, String distinctId);

    /**
     * Marks the personless records of these distinct ids merged; returns the ones that existed (personless events
     * used them), whatever their merged flag said.
     */
    Set<DistinctIdKey> markPersonlessMerged(List<DistinctIdKey> distinctIds);

    record DistinctIdKey(long teamId, String distinctId) {}

    record DistinctIdVersion(String distinctId, long version) {}

    /** A distinct id to point at an existing person. */
    record NewDistinctId(long teamId, long personId, String distinctId) {}
}
