-- Person overrides (docs/posthog-compatibility.md#persons-on-events-after-merges), PostHog's
-- person_distinct_id_overrides: when a merge moves a distinct id to another person, its events already stored keep
-- the old person_id. A row here says which person they belong to now (the highest version wins), until the squash
-- rewrites those events and retires the row. Full copy on every node, like person_distinct_id2.

CREATE TABLE IF NOT EXISTS {{db}}.person_distinct_id_overrides (
    team_id Int64,
    distinct_id String,
    person_id UUID,
    is_deleted Int8,
    version Int64,
    _timestamp DateTime,
    _offset UInt64
) ENGINE = {{replicated_engine person_distinct_id_overrides version}}
ORDER BY (team_id, distinct_id);

CREATE TABLE IF NOT EXISTS {{db}}.kafka_person_distinct_id_overrides (
    team_id Int64,
    distinct_id String,
    person_id UUID,
    is_deleted Int8,
    version Int64
) ENGINE = {{kafka_engine clickhouse_person_distinct_id_overrides person_distinct_id_overrides}};

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.person_distinct_id_overrides_mv TO {{db}}.person_distinct_id_overrides AS
SELECT team_id, distinct_id, person_id, is_deleted, version, now() AS _timestamp, {{kafka_offset}} AS _offset
FROM {{db}}.kafka_person_distinct_id_overrides;
