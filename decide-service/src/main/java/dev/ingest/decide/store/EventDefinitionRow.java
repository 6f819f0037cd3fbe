package dev.ingest.decide.store;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code event_definition}. */
public record EventDefinitionRow(UUID id, String name, Instant createdAt, Instant lastSeenAt) {}
