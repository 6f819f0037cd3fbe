package dev.ingest.plugin.person;

import dev.ingest.common.kafka.OutgoingRecord;
import dev.ingest.plugin.ingestion.kafka.ClickHouseRows;

/**
 * The ClickHouse rows a person write owes (docs/posthog-compatibility.md#person-storage-and-clickhouse-rows), with
 * the person's properties already written as JSON.
 */
final class PersonRows {
    /** A merged-away person's row outranks every row it had: PostHog adds 100 to its version. */
    static final long DELETED_VERSION_STEP = 100;

    private PersonRows() {}

    static OutgoingRecord person(Person person, String propertiesJson) {
        return ClickHouseRows.person(person.uuid(), person.teamId(), person.createdAt(), propertiesJson,
                person.isIdentified(), false, person.version());
    }

    static OutgoingRecord deleted(Person person, String propertiesJson) {
        return ClickHouseRows.person(person.uuid(), person.teamId(), person.createdAt(), propertiesJson,
                person.isIdentified(), true, person.version() + DELETED_VERSION_STEP);
    }

    /** A distinct id that moved to {@code person} from another: PostHog's person_distinct_id_overrides row. */
    static OutgoingRecord override(Person person, String distinctId, long version) {
        return ClickHouseRows.personDistinctIdOverride(person.uuid(), person.teamId(), distinctId, version);
    }

    static OutgoingRecord distinctId(Person person, String distinctId, long version) {
        return ClickHouseRows.personDistinctId(person.uuid(), person.teamId(), distinctId, version, false);
    }
}
