package dev.ingest.plugin.person;

import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.node.ObjectNode;

/** A person about to be created: what its first row holds (its version starts at 0). */
public record NewPerson(long teamId, UUID uuid, Instant createdAt, ObjectNode properties, boolean identified) {}
