package dev.ingest.plugin.ingestion.warning;

import dev.ingest.common.json.Json;
import dev.ingest.common.kafka.OutgoingRecord;
import dev.ingest.plugin.ingestion.kafka.ClickHouseRows;
import dev.ingest.plugin.ingestion.pipeline.EventContext;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * Tells a project what went wrong with its events: a row in ClickHouse's ingestion_warnings table
 * (docs/posthog-compatibility.md#ingestion-warnings) plus a counter by type. The warning is an effect of the event,
 * produced with the batch.
 */
public final class IngestionWarnings {
    private final Clock clock;
    private final MeterRegistry metrics;

    public IngestionWarnings(Clock clock, MeterRegistry metrics) {
        this.clock = clock;
        this.metrics = metrics;
    }

    public void record(EventContext context, long teamId, String type, Map<String, ?> details) {
        record(context, teamId, type, "plugin-server", details);
    }

    /** A warning that belongs to no event still in the pipeline, as its row. */
    public OutgoingRecord row(long teamId, String type, Map<String, ?> details) {
        metrics.counter("ingest_plugin_ingestion_warnings_total", "type", type).increment();
        return ClickHouseRows.warning(teamId, type, "plugin-server", Json.write(details), Instant.now(clock));
    }

    /** A warning another part of the platform reported ({@code source}: {@code capture}, or an SDK's). */
    public void record(EventContext context, long teamId, String type, String source, Map<String, ?> details) {
        metrics.counter("ingest_plugin_ingestion_warnings_total", "type", type).increment();
        context.addEffect(ClickHouseRows.warning(teamId, type, source, Json.write(details), Instant.now(clock)));
    }
}
