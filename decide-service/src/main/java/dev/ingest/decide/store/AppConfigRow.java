package dev.ingest.decide.store;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * One row of {@code app_config}; {@code config} exactly as stored (secrets included: mask before showing it).
 * {@code disabledReason} says why plugin-service disabled the app by itself (null otherwise).
 */
public record AppConfigRow(
        long id,
        long teamId,
        String app,
        JsonNode config,
        int position,
        boolean enabled,
        String disabledReason,
        Instant createdAt,
        Instant updatedAt) {

    public AppConfigDraft draft() {
        return new AppConfigDraft(app, config, position, enabled);
    }
}
