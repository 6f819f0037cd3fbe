package dev.ingest.decide.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ingest.decide.store.AppConfigRow;
import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** An app of a project; {@code config} as stored, with its secrets masked ({@link AppSecrets}). */
public record AppResponse(
        long id,
        String app,
        JsonNode config,
        int position,
        boolean enabled,
        @JsonProperty("disabled_reason") String disabledReason,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt) {

    public static AppResponse of(AppConfigRow row) {
        return new AppResponse(row.id(), row.app(), AppSecrets.masked(row.app(), row.config()), row.position(),
                row.enabled(), row.disabledReason(), row.createdAt(), row.updatedAt());
    }
}
