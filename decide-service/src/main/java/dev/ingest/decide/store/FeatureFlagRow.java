package dev.ingest.decide.store;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** One row of {@code feature_flag}; {@code filters} is PostHog's filters JSON exactly as stored. */
public record FeatureFlagRow(
        long id,
        long teamId,
        String key,
        String name,
        JsonNode filters,
        boolean active,
        boolean deleted,
        boolean ensureExperienceContinuity,
        int version,
        Instant createdAt,
        Instant updatedAt) {

    public FeatureFlagDraft draft() {
        return new FeatureFlagDraft(key, name, filters, active, deleted, ensureExperienceContinuity);
    }
}
