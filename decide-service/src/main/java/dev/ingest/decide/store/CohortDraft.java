package dev.ingest.decide.store;

import tools.jackson.databind.JsonNode;

/** What a write sets on a cohort; the id, version and timestamps are the database's. */
public record CohortDraft(String name, String description, JsonNode filters, boolean isStatic, boolean deleted) {}
