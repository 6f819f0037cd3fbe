package dev.ingest.plugin.apps;

import dev.ingest.plugin.ingestion.heatmap.HeatmapExtractor;
import dev.ingest.plugin.ingestion.pipeline.EventContext;
import dev.ingest.plugin.ingestion.pipeline.PipelineStage;
import dev.ingest.plugin.ingestion.pipeline.PipelineStep;
import dev.ingest.plugin.ingestion.pipeline.StepResult;
import dev.ingest.plugin.ingestion.warning.IngestionWarnings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The project's {@code processEvent} apps, in their configured order, on the event JSON; they run where PostHog
 * runs its transformations (docs/posthog-compatibility.md#apps).
 * An app that drops the event ends it here ({@code app_filtered}). An app that throws, or returns an event without
 * a {@code properties} object, is contained: the event goes on exactly as it was before that app (each app works on
 * a copy), {@code ingest_plugin_app_errors_total{app}} is incremented and an {@code app_error} ingestion warning is
 * recorded. A project without apps costs one cache lookup and leaves the event untouched. Errors of the
 * configuration source (PostgreSQL down) propagate: the pipeline retries the batch.
 */
public final class ProcessEventAppsStep implements PipelineStep {
    private static final Logger log = LoggerFactory.getLogger(ProcessEventAppsStep.class);
    public static final String DROP_CAUSE = "app_filtered";
    public static final String WARNING_TYPE = "app_error";

    private final AppRegistry registry;
    private final IngestionWarnings warnings;
    private final MeterRegistry metrics;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public ProcessEventAppsStep(AppRegistry registry, IngestionWarnings warnings, MeterRegistry metrics) {
        this.registry = registry;
        this.warnings = warnings;
        this.metrics = metrics;
    }

    @Override
    public PipelineStage stage() {
        return PipelineStage.PROCESS_EVENT_APPS;
    }

    @Override
    public Set<PipelineStage> requires() {
        return Set.of(PipelineStage.RESOLVE_TEAM);
    }

    @Override
    public StepResult<EventContext> apply(EventContext context) {
        long teamId = context.team().id();
        List<AppRegistry.ConfiguredApp> apps = registry.transformersFor(teamId);
        // Heatmap events are not events to the apps (PostHog runs no transformation on them); they are never stored.
        if (apps.isEmpty() || HeatmapExtractor.HEATMAP_EVENT.equals(context.eventName())) {
            return StepResult.ok(context);
        }
        ObjectNode current = context.data();
        for (AppRegistry.ConfiguredApp app : apps) {
            AppContext meta = new AppContext(teamId, app.name(), app.config().id(), context.captured().uuid(),
                    context.distinctId());
            ObjectNode candidate = current.deepCopy();
            long started = System.nanoTime();
            AppResult result;
            try {
                result = app.transformer().processEvent(candidate, meta);
            } catch (RuntimeException | StackOverflowError e) {
                appError(context, meta, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
                continue;
            } finally {
                timer(app.name()).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            }
            switch (result) {
                case AppResult.Keep keep when keep.event().get("properties") instanceof ObjectNode ->
                        current = keep.event();
                case AppResult.Keep keep -> appError(context, meta, "the app returned an event without a properties object", null);
                case AppResult.Drop drop -> {
                    metrics.counter("ingest_plugin_app_dropped_total", "app", app.name()).increment();
                    return StepResult.drop(DROP_CAUSE);
                }
                case null -> appError(context, meta, "the app returned nothing", null);
            }
        }
        if (current != context.data()) {
            // The context owns its data object (later steps and the row read it): replace its contents in place.
            ObjectNode data = context.data();
            data.removeAll();
            data.setAll(current);
        }
        return StepResult.ok(context);
    }

    private void appError(EventContext context, AppContext meta, String message, Throwable error) {
        metrics.counter("ingest_plugin_app_errors_total", "app", meta.app()).increment();
        log.debug("app {} (config {}) of team {} failed on event {}", meta.app(), meta.appConfigId(), meta.teamId(),
                meta.eventUuid(), error);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("eventUuid", String.valueOf(meta.eventUuid()));
        details.put("app", meta.app());
        details.put("appConfigId", meta.appConfigId());
        details.put("error", message == null ? "" : message.length() > 500 ? message.substring(0, 500) : message);
        warnings.record(context, meta.teamId(), WARNING_TYPE, details);
    }

    private Timer timer(String app) {
        return timers.computeIfAbsent(app, name -> Timer.builder("ingest_plugin_app_seconds").tag("app", name)
                .register(metrics));
    }
}
