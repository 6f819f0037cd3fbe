package dev.ingest.decide.store;

import java.time.Instant;
import java.util.UUID;

/** A row of {@code property_definition}: {@code type} 1 event, 2 person, 3 group. */
public record PropertyDefinitionRow(UUID id, String name, int type, Integer groupTypeIndex, String propertyType,
        boolean numerical, Instant createdAt) {}
