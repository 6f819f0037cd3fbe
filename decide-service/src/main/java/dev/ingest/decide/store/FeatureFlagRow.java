package dev.ingest.decide.store;

import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One row of {@code feature_flag}; {@code filters} is PostHog's filters JSON exactly as stored.
 *
 * @param evaluationRuntime {@code all}, {@code server} or {@code client}
 * @param evaluationContexts the evaluation environments (tags) the flag is limited to; empty for all
 */
public record FeatureFlagRow(
        long id,
        long teamId,
        String key,
        String name,
        JsonNode filters,
        boolean active,
        boolean deleted,
        boolean ensureExperienceContinuity,
        String evaluationRuntime,
        List<String> evaluationContexts,
        int version,
        Instant createdAt,
        Instant updatedAt) {

    public FeatureFlagDraft draft() {
        return new FeatureFlagDraft(key, name, filters, active, deleted, ensureExperienceContinuity, evaluationRuntime,
                evaluationContexts);
    }
}
