package dev.ingest.plugin.person;

import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/** A person row of PostgreSQL (docs/posthog-compatibility.md#person-storage-and-clickhouse-rows). */
public record Person(long id, UUID uuid, long teamId, Instant createdAt, ObjectNode properties, boolean isIdentified,
        long version) {}
