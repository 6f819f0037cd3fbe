-- Heatmap points (docs/posthog-compatibility.md#heatmaps), PostHog's heatmaps chain:
--   topic clickhouse_heatmap_events -> kafka_heatmaps -> heatmaps_mv -> writable_heatmaps (Distributed, sharded by
--   team, session and day) -> sharded_heatmaps on each shard, read through heatmaps (Distributed).
-- x, y and the viewport are in units of scale_factor pixels (16), so near points share a cell.
-- Two differences from PostHog's columns, both for 18.16: pointer_target_fixed is UInt8 (0/1; 18.16 has no Bool) and
-- type is String (LowCardinality is experimental there). Rows are kept 90 days where the server has table TTLs.

CREATE TABLE IF NOT EXISTS {{db}}.sharded_heatmaps (
    session_id String,
    team_id Int64,
    distinct_id String,
    timestamp {{timestamp_type}},
    x Int16,
    y Int16,
    scale_factor Int16,
    viewport_width Int16,
    viewport_height Int16,
    pointer_target_fixed UInt8,
    current_url String,
    type String,
    _timestamp DateTime,
    _offset UInt64
) ENGINE = {{sharded_log_engine sharded_heatmaps}}
PARTITION BY toYYYYMM(timestamp)
ORDER BY (type, team_id, toDate(timestamp), current_url, viewport_width)
{{ttl timestamp 90}};

CREATE TABLE IF NOT EXISTS {{db}}.writable_heatmaps AS {{db}}.sharded_heatmaps
ENGINE = Distributed({{cluster}}, {{db}}, sharded_heatmaps,
    cityHash64(concat(toString(team_id), '-', session_id, '-', toString(toDate(timestamp)))));

CREATE TABLE IF NOT EXISTS {{db}}.heatmaps AS {{db}}.sharded_heatmaps
ENGINE = Distributed({{cluster}}, {{db}}, sharded_heatmaps,
    cityHash64(concat(toString(team_id), '-', session_id, '-', toString(toDate(timestamp)))));

CREATE TABLE IF NOT EXISTS {{db}}.kafka_heatmaps (
    session_id String,
    team_id Int64,
    distinct_id String,
    timestamp String,
    x Int16,
    y Int16,
    scale_factor Int16,
    viewport_width Int16,
    viewport_height Int16,
    pointer_target_fixed UInt8,
    current_url String,
    type String
) ENGINE = {{kafka_engine clickhouse_heatmap_events heatmaps}};

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.heatmaps_mv TO {{db}}.writable_heatmaps AS
SELECT session_id, team_id, distinct_id, {{parse_timestamp timestamp}} AS timestamp, x, y, scale_factor, viewport_width,
    viewport_height, pointer_target_fixed, current_url, type, now() AS _timestamp, {{kafka_offset}} AS _offset
FROM {{db}}.kafka_heatmaps;
