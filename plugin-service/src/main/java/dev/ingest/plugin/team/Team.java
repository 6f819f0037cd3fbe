package dev.ingest.plugin.team;

import java.util.UUID;

/** A project as the pipeline needs it. */
public record Team(long id, UUID uuid, String name, String apiToken, boolean anonymizeIps,
        boolean personProcessingOptOut) {}
