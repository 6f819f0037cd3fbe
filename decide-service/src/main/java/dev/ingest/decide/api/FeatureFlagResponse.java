package dev.ingest.decide.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ingest.decide.store.FeatureFlagRow;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A feature flag in PostHog's JSON; {@code filters} exactly as stored (payloads are strings holding JSON). The
 * evaluation environments appear under PostHog's current name, {@code evaluation_contexts}, and its former one,
 * {@code evaluation_tags}.
 */
public record FeatureFlagResponse(
        long id,
        @JsonProperty("team_id") long teamId,
        String key,
        String name,
        JsonNode filters,
        boolean active,
        boolean deleted,
        @JsonProperty("ensure_experience_continuity") boolean ensureExperienceContinuity,
        @JsonProperty("evaluation_runtime") String evaluationRuntime,
        @JsonProperty("evaluation_contexts") List<String> evaluationContexts,
        @JsonProperty("evaluation_tags") List<String> evaluationTags,
        int version,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt) {

    public static FeatureFlagResponse of(FeatureFlagRow row) {
        return new FeatureFlagResponse(row.id(), row.teamId(), row.key(), row.name(), row.filters(), row.active(),
                row.deleted(), row.ensureExperienceContinuity(), row.evaluationRuntime(), row.evaluationContexts(),
                row.evaluationContexts(), row.version(), row.createdAt(), row.updatedAt());
    }
}
