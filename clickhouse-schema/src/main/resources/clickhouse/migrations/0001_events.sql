-- The events chain, as PostHog builds it (docs/posthog-compatibility.md#clickhouse-event-messages):
--   topic clickhouse_events_json -> kafka_events_json (Kafka engine) -> events_json_mv (materialized view)
--   -> writable_events (Distributed, sharding key sipHash64(distinct_id)) -> sharded_events on each shard,
--   read through events (Distributed).
-- Order matters: storage first, the Kafka table next, the view last (it starts consuming as soon as it exists).

CREATE TABLE IF NOT EXISTS {{db}}.sharded_events (
    uuid UUID,
    event String,
    properties String,
    timestamp {{timestamp_type}},
    team_id Int64,
    project_id Int64,
    distinct_id String,
    elements_chain String,
    created_at {{timestamp_type}},
    person_id UUID,
    person_properties String,
    person_created_at DateTime,
    person_mode String,
    _timestamp DateTime,
    _offset UInt64
) ENGINE = {{sharded_engine sharded_events _timestamp}}
PARTITION BY toYYYYMM(timestamp)
-- TRICKY: cityHash64 of a UUID column fails on 18.16 (and the view then drops blocks silently): hash its text.
-- Same uuid + same sorting key = the same row, so redelivered events collapse on merge (and under FINAL).
ORDER BY (team_id, toDate(timestamp), event, cityHash64(distinct_id), cityHash64(toString(uuid)))
SAMPLE BY cityHash64(distinct_id);

CREATE TABLE IF NOT EXISTS {{db}}.writable_events AS {{db}}.sharded_events
ENGINE = Distributed({{cluster}}, {{db}}, sharded_events, sipHash64(distinct_id));

CREATE TABLE IF NOT EXISTS {{db}}.events AS {{db}}.sharded_events
ENGINE = Distributed({{cluster}}, {{db}}, sharded_events, sipHash64(distinct_id));

-- Timestamps arrive as text ('YYYY-MM-DD hh:mm:ss.ffffff', UTC) and are converted in the view: a DateTime JSON field
-- on 18.16 accepts neither fractions nor zones. No kafka_skip_broken_messages here: 18.16 lacks it, so the plugin
-- service validates every row against this table before producing it (one bad row would block the table for good).
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
    person_mode String
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
    now() AS _timestamp,
    {{kafka_offset}} AS _offset
FROM {{db}}.kafka_events_json;
