-- What the plugin service could not process, for operators (PostHog's events_dead_letter_queue): the message as it
-- arrived, where it failed and why. The message itself stays replayable on events_plugin_ingestion_dlq
-- (./platform replay-dlq). Full copy on every node, like the other small tables.

CREATE TABLE IF NOT EXISTS {{db}}.events_dead_letter_queue (
    id UUID,
    event_uuid String,
    event String,
    distinct_id String,
    team_id Int64,
    raw_payload String,
    error_timestamp {{timestamp_type}},
    error_location String,
    error String,
    source String,
    _timestamp DateTime,
    _offset UInt64
) ENGINE = {{replicated_log_engine events_dead_letter_queue}}
PARTITION BY toYYYYMM(error_timestamp)
ORDER BY (team_id, error_timestamp, id);

CREATE TABLE IF NOT EXISTS {{db}}.kafka_events_dead_letter_queue (
    id UUID,
    event_uuid String,
    event String,
    distinct_id String,
    team_id Int64,
    raw_payload String,
    error_timestamp String,
    error_location String,
    error String,
    source String
) ENGINE = {{kafka_engine events_dead_letter_queue dead_letter_queue}};

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.events_dead_letter_queue_mv TO {{db}}.events_dead_letter_queue AS
SELECT id, event_uuid, event, distinct_id, team_id, raw_payload, {{parse_timestamp error_timestamp}} AS error_timestamp,
    error_location, error, source, now() AS _timestamp, {{kafka_offset}} AS _offset
FROM {{db}}.kafka_events_dead_letter_queue;
