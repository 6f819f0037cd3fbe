package dev.ingest.decide.store;

import java.util.List;
import tools.jackson.databind.JsonNode;

/** What a write sets on a feature flag; the id, version and timestamps are the database's. */
public record FeatureFlagDraft(
        String key,
        String name,
        JsonNode filters,
        boolean active,
        boolean deleted,
        boolean ensureExperienceContinuity,
        String evaluationRuntime,
        List<String> evaluationContexts) {

    public FeatureFlagDraft {
        evaluationRuntime = evaluationRuntime == null ? "all" : evaluationRuntime;
        evaluationContexts = evaluationContexts == null ? List.of() : List.copyOf(evaluationContexts);
    }
}
