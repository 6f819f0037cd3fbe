package dev.ingest.common.kafka;

import java.util.List;

/**
 * Kafka topic names, as PostHog names them, and their partition counts. The platform creates them
 * ({@link CreateTopicsCommand}); services refuse to start without them.
 */
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
    /** Distinct ids that moved to another person (a merge): which person their earlier events belong to now. */
    public static final String CLICKHOUSE_PERSON_DISTINCT_ID_OVERRIDES = "clickhouse_person_distinct_id_overrides";
    public static final String CLICKHOUSE_GROUPS = "clickhouse_groups";
    public static final String CLICKHOUSE_INGESTION_WARNINGS = "clickhouse_ingestion_warnings";
    public static final String EVENTS_DEAD_LETTER_QUEUE = "events_dead_letter_queue";
    /** Heatmap points taken out of events (table heatmaps), keyed by the event's uuid. */
    public static final String CLICKHOUSE_HEATMAP_EVENTS = "clickhouse_heatmap_events";
    /** Destination deliveries waiting for their next attempt (JSON, keyed by destination id). */
    public static final String APP_DELIVERIES_RETRY = "app_deliveries_retry";
    /** Destination deliveries that failed for good, with reason / attempt headers. */
    public static final String APP_DELIVERIES_DLQ = "app_deliveries_dlq";

    /** A topic and how many partitions the platform creates it with. */
    public record Spec(String name, int partitions) {}

    /**
     * Every topic of the platform with its partition count: the one definition {@link CreateTopicsCommand} creates
     * them from (./platform and docker-compose run it). The ingestion topic has the most partitions, so that several
     * plugin-service consumers can share it.
     */
    public static final List<Spec> SPECS = List.of(
            new Spec(EVENTS_PLUGIN_INGESTION, 8),
            new Spec(EVENTS_PLUGIN_INGESTION_OVERFLOW, 4),
            new Spec(EVENTS_PLUGIN_INGESTION_HISTORICAL, 4),
            new Spec(EVENTS_PLUGIN_INGESTION_DLQ, 2),
            new Spec(CAPTURE_EVENTS_DEAD_LETTER, 2),
            new Spec(CLICKHOUSE_EVENTS_JSON, 4),
            new Spec(CLICKHOUSE_PERSON, 2),
            new Spec(CLICKHOUSE_PERSON_DISTINCT_ID, 2),
            new Spec(CLICKHOUSE_PERSON_DISTINCT_ID_OVERRIDES, 2),
            new Spec(CLICKHOUSE_GROUPS, 2),
            new Spec(CLICKHOUSE_INGESTION_WARNINGS, 2),
            new Spec(EVENTS_DEAD_LETTER_QUEUE, 2),
            new Spec(CLICKHOUSE_HEATMAP_EVENTS, 2),
            new Spec(APP_DELIVERIES_RETRY, 2),
            new Spec(APP_DELIVERIES_DLQ, 2));

    public static final List<String> ALL = SPECS.stream().map(Spec::name).toList();

    private Topics() {}
}
