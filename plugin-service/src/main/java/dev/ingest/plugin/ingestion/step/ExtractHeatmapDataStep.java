package dev.ingest.plugin.ingestion.step;

import dev.ingest.plugin.ingestion.heatmap.HeatmapExtractor;
import dev.ingest.plugin.ingestion.kafka.ClickHouseRows;
import dev.ingest.plugin.ingestion.pipeline.EventContext;
import dev.ingest.plugin.ingestion.pipeline.PipelineStage;
import dev.ingest.plugin.ingestion.pipeline.PipelineStep;
import dev.ingest.plugin.ingestion.pipeline.StepResult;
import dev.ingest.plugin.ingestion.warning.IngestionWarnings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Takes heatmap points out of events into the heatmaps table (docs/posthog-compatibility.md#heatmaps) and strips
 * {@code $heatmap_data} from the stored event. A {@code $$heatmap} event ends here: it is never stored, its project
 * must not have turned heatmaps off, and one that cannot give rows (no usable distinct id or viewport) is dropped as
 * PostHog drops it, with an {@code invalid_heatmap_data} warning so the drop can be seen. Any other event keeps going
 * whatever its heatmap data holds (PostHog would drop it too; here only its points are lost, with the warning).
 */
public final class ExtractHeatmapDataStep implements PipelineStep {
    private final IngestionWarnings warnings;

    public ExtractHeatmapDataStep(IngestionWarnings warnings) {
        this.warnings = warnings;
    }

    @Override
    public PipelineStage stage() {
        return PipelineStage.EXTRACT_HEATMAP_DATA;
    }

    @Override
    public Set<PipelineStage> requires() {
        return Set.of(PipelineStage.RESOLVE_TEAM, PipelineStage.PARSE_TIMESTAMP);
    }

    @Override
    public StepResult<EventContext> apply(EventContext context) {
        boolean heatmapEvent = HeatmapExtractor.HEATMAP_EVENT.equals(context.eventName());
        long teamId = context.team().id();
        if (heatmapEvent && Boolean.FALSE.equals(context.team().heatmapsOptIn())) {
            return StepResult.drop("heatmap_opt_in_disabled");
        }
        HeatmapExtractor.Extraction extraction = HeatmapExtractor.extract(context.captured().uuid(), teamId,
                context.distinctId(), context.timestamp(), context.properties());
        context.properties().remove("$heatmap_data");
        for (HeatmapExtractor.Warning warning : extraction.warnings()) {
            warnings.record(context, teamId, warning.type(), warning.details());
        }
        if (extraction.unusable() != null) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("eventUuid", context.captured().uuid());
            details.put("event", context.eventName());
            details.put("reason", extraction.unusable());
            warnings.record(context, teamId, "invalid_heatmap_data", details);
            if (heatmapEvent) {
                return StepResult.drop(extraction.unusable());
            }
        }
        for (var row : extraction.rows()) {
            context.addEffect(ClickHouseRows.heatmap(row));
        }
        return heatmapEvent ? StepResult.drop("heatmap_extracted") : StepResult.ok(context);
    }
}
