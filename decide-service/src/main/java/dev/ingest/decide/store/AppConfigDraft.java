package dev.ingest.decide.store;

import tools.jackson.databind.JsonNode;

/** What a write sets on an app of a project; the id and timestamps are the database's. */
public record AppConfigDraft(String app, JsonNode config, int position, boolean enabled) {}
