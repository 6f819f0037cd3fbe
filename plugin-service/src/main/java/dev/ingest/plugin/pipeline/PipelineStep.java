package dev.ingest.plugin.pipeline;

/** One small step of event processing. Only {@link EventPipeline} knows the order of the steps. */
public interface PipelineStep {
    PipelineStage stage();

    StepResult<EventContext> apply(EventContext context);
}
