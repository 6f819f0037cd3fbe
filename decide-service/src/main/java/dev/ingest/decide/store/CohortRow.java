package dev.ingest.decide.store;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * One row of {@code cohort}.
 *
 * @param filters {@code {"properties": {"type": "AND|OR", "values": [...]}}} exactly as stored
 * @param memberCount for a static cohort, its number of persons; null for a dynamic one
 */
public record CohortRow(
        long id,
        long teamId,
        String name,
        String description,
        JsonNode filters,
        boolean isStatic,
        boolean deleted,
        int version,
        Instant createdAt,
        Instant updatedAt,
        Long memberCount) {

    public CohortDraft draft() {
        return new CohortDraft(name, description, filters, isStatic, deleted);
    }
}
