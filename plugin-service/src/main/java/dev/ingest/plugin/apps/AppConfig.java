package dev.ingest.plugin.apps;

import tools.jackson.databind.JsonNode;

/** One enabled row of {@code app_config}: which app runs for the project, where in the order, with what config. */
public record AppConfig(long id, long teamId, String app, JsonNode config, int position) {}
