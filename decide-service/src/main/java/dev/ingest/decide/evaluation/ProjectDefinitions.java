package dev.ingest.decide.evaluation;

import dev.ingest.decide.flags.FeatureFlag;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Everything flag evaluation needs of one project, read together.
 *
 * @param flags the live (not deleted) flags, parsed; inactive ones included (local evaluation needs them)
 * @param definitions the same flags as local-evaluation JSON, in the same order
 * @param groupTypes group type index to name
 * @param cohorts every live cohort's property group ({"type","values"}) by id; static cohorts are in staticCohorts
 * @param version changes whenever anything above does (the ETag of local evaluation)
 */
public record ProjectDefinitions(List<FeatureFlag> flags, List<JsonNode> definitions, Map<Integer, String> groupTypes,
        Map<String, JsonNode> cohorts, java.util.Set<String> staticCohorts, String version) {}
