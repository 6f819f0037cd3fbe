package dev.ingest.decide.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ingest.decide.store.CohortRow;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * A cohort as PostHog's API shows it.
 *
 * @param count the number of persons of a static cohort; null for a dynamic one (computed at evaluation)
 */
public record CohortResponse(
        long id,
        @JsonProperty("team_id") long teamId,
        String name,
        String description,
        JsonNode filters,
        @JsonProperty("is_static") boolean isStatic,
        boolean deleted,
        Long count,
        int version,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt) {

    public static CohortResponse of(CohortRow row) {
        return new CohortResponse(row.id(), row.teamId(), row.name(), row.description(), row.filters(), row.isStatic(),
                row.deleted(), row.memberCount(), row.version(), row.createdAt(), row.updatedAt());
    }
}
