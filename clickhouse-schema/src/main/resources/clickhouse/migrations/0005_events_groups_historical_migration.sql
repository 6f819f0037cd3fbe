-- Columns PostHog's queries read on events (docs/posthog-compatibility.md#clickhouse-event-columns):
--   historical_migration: 1 for events that came in a batch marked historical_migration (an import), else 0;
--   $group_0 .. $group_4: the event's group keys, materialized from its properties on the sharded table only. As in
--   PostHog, the writable table leaves materialized columns out (they would hinder inserts) and the read table has
--   them as plain columns, which the shards fill. Existing rows get the keys from their properties too.
-- 18.16 has no ADD COLUMN IF NOT EXISTS: the migrator skips an ADD COLUMN whose column exists, so a run that died
-- half way finishes on the next one.

ALTER TABLE {{db}}.sharded_events ADD COLUMN historical_migration UInt8 DEFAULT 0;
ALTER TABLE {{db}}.writable_events ADD COLUMN historical_migration UInt8 DEFAULT 0;
ALTER TABLE {{db}}.events ADD COLUMN historical_migration UInt8 DEFAULT 0;

ALTER TABLE {{db}}.sharded_events ADD COLUMN `$group_0` String MATERIALIZED {{json_string properties $group_0}};
ALTER TABLE {{db}}.sharded_events ADD COLUMN `$group_1` String MATERIALIZED {{json_string properties $group_1}};
ALTER TABLE {{db}}.sharded_events ADD COLUMN `$group_2` String MATERIALIZED {{json_string properties $group_2}};
ALTER TABLE {{db}}.sharded_events ADD COLUMN `$group_3` String MATERIALIZED {{json_string properties $group_3}};
ALTER TABLE {{db}}.sharded_events ADD COLUMN `$group_4` String MATERIALIZED {{json_string properties $group_4}};
ALTER TABLE {{db}}.events ADD COLUMN `$group_0` String;
ALTER TABLE {{db}}.events ADD COLUMN `$group_1` String;
ALTER TABLE {{db}}.events ADD COLUMN `$group_2` String;
ALTER TABLE {{db}}.events ADD COLUMN `$group_3` String;
ALTER TABLE {{db}}.events ADD COLUMN `$group_4` String;

-- The Kafka table gains historical_migration, which no server can add to a Kafka table in place: the view goes first
-- (it is what consumes), then the table, and both are made again. The consumer group keeps its name, so
-- consumption resumes at the committed offsets; rows read but not committed are read again and collapse.
DROP TABLE IF EXISTS {{db}}.events_json_mv;
DROP TABLE IF EXISTS {{db}}.kafka_events_json;

CREATE TABLE IF NOT EXISTS {{db}}.kafka_events_json (
    uuid UUID,
    event String,
    properties String,
    timestamp String,
    team_id Int64,
    project_id Int64,
    distinct_id String,
    elements_chain String,
    created_at String,
    person_id UUID,
    person_properties String,
    person_created_at String,
    person_mode String,
    historical_migration UInt8
) ENGINE = {{kafka_engine clickhouse_events_json events}};

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.events_json_mv TO {{db}}.writable_events AS
SELECT
    uuid,
    event,
    properties,
    {{parse_timestamp timestamp}} AS timestamp,
    team_id,
    project_id,
    distinct_id,
    elements_chain,
    {{parse_timestamp created_at}} AS created_at,
    person_id,
    person_properties,
    toDateTime(substring(person_created_at, 1, 19)) AS person_created_at,
    person_mode,
    historical_migration,
    now() AS _timestamp,
    {{kafka_offset}} AS _offset
FROM {{db}}.kafka_events_json;
