package dev.ingest.plugin.ingestion.pipeline;

import java.util.Set;

/**
 * A part of the pipeline: a {@link PipelineStep} runs on one event at a time, a {@link BatchStep} once on every event
 * of a batch still going. {@link EventPipeline} is built from a list of them and checks the order once, at startup:
 * each step names the stages whose results it reads (they must come before it) and the stages that change what it
 * reads (where the pipeline has them, they must come before it too).
 */
public sealed interface Step permits PipelineStep, BatchStep {
    PipelineStage stage();

    /** The stages that must have run before this one (their results are what it reads). */
    default Set<PipelineStage> requires() {
        return Set.of();
    }

    /** The stages that, where the pipeline has them, must run before this one (they change what it reads). */
    default Set<PipelineStage> runsAfter() {
        return Set.of();
    }
}
