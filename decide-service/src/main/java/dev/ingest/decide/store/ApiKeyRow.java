package dev.ingest.decide.store;

import java.time.Instant;
import java.util.Set;

/**
 * One row of {@code personal_api_key}; the key itself is never stored, only its SHA-256 and a mask.
 *
 * @param scopedTeams the projects the key may act on; null means every project
 */
public record ApiKeyRow(
        long id, String label, String maskValue, Set<Long> scopedTeams, Instant createdAt, Instant lastUsedAt) {}
