package dev.ingest.decide.store;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** One row of {@code app_config}; {@code config} exactly as stored (secrets included: mask before showing it). */
public record AppConfigRow(
        long id,
        long teamId,
        String app,
        JsonNode config,
        int position,
        boolean enabled,
        Instant createdAt,
        Instant updatedAt) {

    public AppConfigDraft draft() {
        return new AppConfigDraft(app, config, position, enabled);
    }
}
