package dev.ingest.decide.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ingest.decide.store.ApiKeyRow;
import java.time.Instant;
import java.util.List;

/**
 * A personal API key as PostHog's API shows it.
 *
 * @param value the key itself, only in the answer to its creation (it is not stored)
 * @param scopedTeams the projects it may act on; empty means every project
 */
public record PersonalApiKeyResponse(
        long id,
        String label,
        @JsonInclude(JsonInclude.Include.NON_NULL) String value,
        @JsonProperty("mask_value") String maskValue,
        @JsonProperty("scoped_teams") List<Long> scopedTeams,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("last_used_at") Instant lastUsedAt) {

    public static PersonalApiKeyResponse of(ApiKeyRow row, String value) {
        return new PersonalApiKeyResponse(row.id(), row.label(), value, row.maskValue(),
                row.scopedTeams() == null ? List.of() : row.scopedTeams().stream().sorted().toList(),
                row.createdAt(), row.lastUsedAt());
    }
}
