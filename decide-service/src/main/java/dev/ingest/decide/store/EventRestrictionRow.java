package dev.ingest.decide.store;

import java.time.Instant;
import java.util.List;

/** One row of {@code event_restriction}. */
public record EventRestrictionRow(long id, long teamId, String restrictionType, List<String> distinctIds,
        List<String> sessionIds, List<String> eventNames, List<String> eventUuids, String note, Instant createdAt) {}
