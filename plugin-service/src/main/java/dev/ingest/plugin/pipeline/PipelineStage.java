package dev.ingest.plugin.pipeline;

import java.util.Locale;

/** Where in the pipeline something happened; the {@code step} label of metrics and the dlq-step header. */
public enum PipelineStage {
    PARSE_MESSAGE,
    RESOLVE_TEAM,
    CLIENT_INGESTION_WARNING,
    APPLY_EVENT_RESTRICTIONS,
    VALIDATE_EVENT,
    PROCESS_EVENT_APPS,
    NORMALIZE_EVENT,
    COOKIELESS,
    PARSE_TIMESTAMP,
    DROP_OLD_EVENTS,
    EXTRACT_HEATMAP_DATA,
    PROCESS_PERSON,
    PROCESS_GROUPS,
    PREPARE_EVENT,
    EMIT_EVENT;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
