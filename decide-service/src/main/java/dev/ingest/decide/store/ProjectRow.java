package dev.ingest.decide.store;

import java.time.Instant;
import java.util.UUID;

/** One row of {@code team}: a project. */
public record ProjectRow(
        long id,
        UUID uuid,
        String name,
        String apiToken,
        boolean anonymizeIps,
        boolean personProcessingOptOut,
        Instant createdAt,
        Instant updatedAt) {}
