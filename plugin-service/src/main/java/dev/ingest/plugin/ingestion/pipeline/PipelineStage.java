package dev.ingest.plugin.ingestion.pipeline;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

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
    PREFETCH_PERSONS,
    PROCESS_PERSON,
    PROCESS_GROUPS,
    PREPARE_EVENT,
    RECORD_DEFINITIONS;

    /**
     * The stages that can change an event's distinct id, the id it merges or whether its person is processed: the
     * person stages run after them.
     */
    public static Set<PipelineStage> changingPersonInput() {
        return EnumSet.of(APPLY_EVENT_RESTRICTIONS, PROCESS_EVENT_APPS, NORMALIZE_EVENT, COOKIELESS);
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
