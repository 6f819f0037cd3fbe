package dev.ingest.decide.store;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of {@code team}: a project ({@code dropEventsOlderThanSeconds} null when events are never dropped for age,
 * {@code heatmapsOptIn} null when the project never chose).
 */
public record ProjectRow(
        long id,
        UUID uuid,
        String name,
        String apiToken,
        boolean anonymizeIps,
        boolean personProcessingOptOut,
        Integer dropEventsOlderThanSeconds,
        Boolean heatmapsOptIn,
        int cookielessServerHashMode,
        Instant createdAt,
        Instant updatedAt) {}
