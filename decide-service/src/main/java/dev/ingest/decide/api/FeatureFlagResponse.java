package dev.ingest.decide.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ingest.decide.store.FeatureFlagRow;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** A feature flag in PostHog's JSON (spec §4.8); {@code filters} exactly as stored. */
public record FeatureFlagResponse(
        long id,
        @JsonProperty("team_id") long teamId,
        String key,
        String name,
        JsonNode filters,
        boolean active,
        boolean deleted,
        @JsonProperty("ensure_experience_continuity") boolean ensureExperienceContinuity,
        int version,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt) {

    public static FeatureFlagResponse of(FeatureFlagRow row) {
        return new FeatureFlagResponse(row.id(), row.teamId(), row.key(), row.name(), row.filters(), row.active(),
                row.deleted(), row.ensureExperienceContinuity(), row.version(), row.createdAt(), row.updatedAt());
    }
}
