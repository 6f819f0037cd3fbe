package dev.ingest.common.kafka;

import java.util.List;

/** Kafka topic names, as PostHog names them. The platform creates them; services refuse to start without them. */
public final class Topics {
    /** Captured events, keyed {@code token:distinct_id}. */
    public static final String EVENTS_PLUGIN_INGESTION = "events_plugin_ingestion";
    /** Captured events whose key exceeded its rate; no key, so they spread over partitions. */
    public static final String EVENTS_PLUGIN_INGESTION_OVERFLOW = "events_plugin_ingestion_overflow";
    /** Historical imports, consumed apart so they never delay live traffic. */
    public static final String EVENTS_PLUGIN_INGESTION_HISTORICAL = "events_plugin_ingestion_historical";
    /** Events the plugin service could not process, with dlq-step / dlq-reason headers. */
    public static final String EVENTS_PLUGIN_INGESTION_DLQ = "events_plugin_ingestion_dlq";
    /** Events capture accepted while it could not verify their token; replayed once the token is known. */
    public static final String CAPTURE_EVENTS_DEAD_LETTER = "capture_events_dead_letter";

    public static final String CLICKHOUSE_EVENTS_JSON = "clickhouse_events_json";
    public static final String CLICKHOUSE_PERSON = "clickhouse_person";
    public static final String CLICKHOUSE_PERSON_DISTINCT_ID = "clickhouse_person_distinct_id";
    public static final String CLICKHOUSE_GROUPS = "clickhouse_groups";
    public static final String CLICKHOUSE_INGESTION_WARNINGS = "clickhouse_ingestion_warnings";
    public static final String EVENTS_DEAD_LETTER_QUEUE = "events_dead_letter_queue";
    /** Heatmap points taken out of events (table heatmaps), keyed by the event's uuid. */
    public static final String CLICKHOUSE_HEATMAP_EVENTS = "clickhouse_heatmap_events";
    /** Destination deliveries waiting for their next attempt (JSON, keyed by destination id). */
    public static final String APP_DELIVERIES_RETRY = "app_deliveries_retry";
    /** Destination deliveries that failed for good, with reason / attempt headers. */
    public static final String APP_DELIVERIES_DLQ = "app_deliveries_dlq";

    public static final List<String> ALL = List.of(
            EVENTS_PLUGIN_INGESTION,
            EVENTS_PLUGIN_INGESTION_OVERFLOW,
            EVENTS_PLUGIN_INGESTION_HISTORICAL,
            EVENTS_PLUGIN_INGESTION_DLQ,
            CAPTURE_EVENTS_DEAD_LETTER,
            CLICKHOUSE_EVENTS_JSON,
            CLICKHOUSE_PERSON,
            CLICKHOUSE_PERSON_DISTINCT_ID,
            CLICKHOUSE_GROUPS,
            CLICKHOUSE_INGESTION_WARNINGS,
            EVENTS_DEAD_LETTER_QUEUE,
            CLICKHOUSE_HEATMAP_EVENTS,
            APP_DELIVERIES_RETRY,
            APP_DELIVERIES_DLQ);

    private Topics() {}
}
