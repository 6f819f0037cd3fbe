-- Persons, distinct ids, groups and ingestion warnings (docs/posthog-compatibility.md: #person-storage-and-clickhouse-rows, #groups, #ingestion-warnings).
-- NOT sharded: every node holds a full replicated copy ({{replicated_engine}}: one ZooKeeper path, every node a
-- replica), so joins with events never cross the network. Each node's Kafka table reads with the same consumer group;
-- a row inserted on one node is replicated to the others.

CREATE TABLE IF NOT EXISTS {{db}}.person (
    id UUID,
    created_at DateTime,
    team_id Int64,
    properties String,
    is_identified Int8,
    is_deleted Int8,
    version UInt64,
    _timestamp DateTime,
    _offset UInt64
) ENGINE = {{replicated_engine person version}}
ORDER BY (team_id, id);

CREATE TABLE IF NOT EXISTS {{db}}.kafka_person (
    id UUID,
    created_at String,
    team_id Int64,
    properties String,
    is_identified Int8,
    is_deleted Int8,
    version UInt64
) ENGINE = {{kafka_engine clickhouse_person person}};

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.person_mv TO {{db}}.person AS
SELECT id, toDateTime(substring(created_at, 1, 19)) AS created_at, team_id, properties, is_identified, is_deleted, version,
    now() AS _timestamp, {{kafka_offset}} AS _offset
FROM {{db}}.kafka_person;

CREATE TABLE IF NOT EXISTS {{db}}.person_distinct_id2 (
    team_id Int64,
    distinct_id String,
    person_id UUID,
    is_deleted Int8,
    version Int64,
    _timestamp DateTime,
    _offset UInt64
) ENGINE = {{replicated_engine person_distinct_id2 version}}
ORDER BY (team_id, distinct_id);

CREATE TABLE IF NOT EXISTS {{db}}.kafka_person_distinct_id (
    team_id Int64,
    distinct_id String,
    person_id UUID,
    is_deleted Int8,
    version Int64
) ENGINE = {{kafka_engine clickhouse_person_distinct_id person_distinct_id}};

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.person_distinct_id2_mv TO {{db}}.person_distinct_id2 AS
SELECT team_id, distinct_id, person_id, is_deleted, version, now() AS _timestamp, {{kafka_offset}} AS _offset
FROM {{db}}.kafka_person_distinct_id;

CREATE TABLE IF NOT EXISTS {{db}}.groups (
    group_type_index UInt8,
    group_key String,
    created_at DateTime,
    team_id Int64,
    group_properties String,
    version Int64,
    _timestamp DateTime,
    _offset UInt64
) ENGINE = {{replicated_engine groups version}}
ORDER BY (team_id, group_type_index, group_key);

CREATE TABLE IF NOT EXISTS {{db}}.kafka_groups (
    group_type_index UInt8,
    group_key String,
    created_at String,
    team_id Int64,
    group_properties String,
    version Int64
) ENGINE = {{kafka_engine clickhouse_groups groups}};

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.groups_mv TO {{db}}.groups AS
SELECT group_type_index, group_key, toDateTime(substring(created_at, 1, 19)) AS created_at, team_id, group_properties,
    version, now() AS _timestamp, {{kafka_offset}} AS _offset
FROM {{db}}.kafka_groups;

CREATE TABLE IF NOT EXISTS {{db}}.ingestion_warnings (
    team_id Int64,
    source String,
    type String,
    details String,
    timestamp {{timestamp_type}},
    _timestamp DateTime,
    _offset UInt64
) ENGINE = {{replicated_log_engine ingestion_warnings}}
PARTITION BY toYYYYMM(timestamp)
ORDER BY (team_id, toHour(timestamp), type, source, timestamp);

CREATE TABLE IF NOT EXISTS {{db}}.kafka_ingestion_warnings (
    team_id Int64,
    source String,
    type String,
    details String,
    timestamp String
) ENGINE = {{kafka_engine clickhouse_ingestion_warnings ingestion_warnings}};

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.ingestion_warnings_mv TO {{db}}.ingestion_warnings AS
SELECT team_id, source, type, details, {{parse_timestamp timestamp}} AS timestamp, now() AS _timestamp,
    {{kafka_offset}} AS _offset
FROM {{db}}.kafka_ingestion_warnings;
