package dev.ingest.plugin.ingestion.pipeline;

/** One small step of event processing, on one event. Steps never call each other: the pipeline runs them. */
public non-sealed interface PipelineStep extends Step {
    StepResult<EventContext> apply(EventContext context);
}
