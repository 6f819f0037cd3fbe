-- Persons and their distinct ids (docs/posthog-compatibility.md#person-storage-and-clickhouse-rows). PostgreSQL is the source of truth; ClickHouse's person and
-- person_distinct_id2 tables are fed from the rows the plugin service sends after each commit.
CREATE TABLE person (
    id                         BIGSERIAL PRIMARY KEY,
    uuid                       UUID        NOT NULL,
    team_id                    BIGINT      NOT NULL REFERENCES team (id) ON DELETE CASCADE,
    created_at                 TIMESTAMPTZ NOT NULL,
    properties                 JSONB       NOT NULL DEFAULT '{}',
    properties_last_updated_at JSONB       NOT NULL DEFAULT '{}',
    properties_last_operation  JSONB       NOT NULL DEFAULT '{}',
    is_user_id                 BIGINT,
    is_identified              BOOLEAN     NOT NULL DEFAULT FALSE,
    version                    BIGINT      NOT NULL DEFAULT 0,
    CONSTRAINT person_team_uuid_unique UNIQUE (team_id, uuid)
);

CREATE TABLE person_distinct_id (
    id          BIGSERIAL PRIMARY KEY,
    team_id     BIGINT NOT NULL REFERENCES team (id) ON DELETE CASCADE,
    person_id   BIGINT NOT NULL REFERENCES person (id) ON DELETE CASCADE,
    distinct_id TEXT   NOT NULL,
    version     BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT person_distinct_id_team_distinct_id_unique UNIQUE (team_id, distinct_id)
);
CREATE INDEX person_distinct_id_person_idx ON person_distinct_id (person_id);

-- Distinct ids that were used by personless events ($process_person_profile=false), so that a later merge gives
-- their distinct-id row version 1 and ClickHouse re-points the old events (docs/posthog-compatibility.md#personless-events).
CREATE TABLE personless_distinct_id (
    team_id     BIGINT      NOT NULL REFERENCES team (id) ON DELETE CASCADE,
    distinct_id TEXT        NOT NULL,
    is_merged   BOOLEAN     NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (team_id, distinct_id)
);

-- Group types per project: at most five, indexes 0..4 (docs/posthog-compatibility.md#groups).
CREATE TABLE group_type_mapping (
    id               BIGSERIAL PRIMARY KEY,
    team_id          BIGINT NOT NULL REFERENCES team (id) ON DELETE CASCADE,
    group_type       TEXT   NOT NULL,
    group_type_index INT    NOT NULL,
    name_singular    TEXT,
    name_plural      TEXT,
    CONSTRAINT group_type_mapping_type_unique UNIQUE (team_id, group_type),
    CONSTRAINT group_type_mapping_index_unique UNIQUE (team_id, group_type_index),
    CONSTRAINT group_type_mapping_index_range CHECK (group_type_index BETWEEN 0 AND 4)
);

-- Groups ("posthog_group"): one row per (project, type index, key).
CREATE TABLE team_group (
    id                         BIGSERIAL PRIMARY KEY,
    team_id                    BIGINT      NOT NULL REFERENCES team (id) ON DELETE CASCADE,
    group_type_index           INT         NOT NULL,
    group_key                  TEXT        NOT NULL,
    group_properties           JSONB       NOT NULL DEFAULT '{}',
    properties_last_updated_at JSONB       NOT NULL DEFAULT '{}',
    properties_last_operation  JSONB       NOT NULL DEFAULT '{}',
    created_at                 TIMESTAMPTZ NOT NULL,
    version                    BIGINT      NOT NULL DEFAULT 0,
    CONSTRAINT team_group_key_unique UNIQUE (team_id, group_type_index, group_key)
);
