package dev.ingest.plugin.person;

import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/** A person row of PostgreSQL (POSTHOG_SPEC §2.6). */
public record Person(long id, UUID uuid, long teamId, Instant createdAt, ObjectNode properties, boolean isIdentified,
        long version) {}
