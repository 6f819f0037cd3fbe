package dev.ingest.plugin.ingestion.pipeline;

import java.util.List;

/**
 * A step that runs once on every event of a batch still going at its place in the pipeline, before any of them
 * goes on: for reads the whole batch shares (PostHog's prefetch of persons is one).
 */
public non-sealed interface BatchStep extends Step {
    void apply(List<EventContext> events);
}
