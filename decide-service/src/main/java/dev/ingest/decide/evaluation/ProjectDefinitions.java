package dev.ingest.decide.evaluation;

import dev.ingest.decide.flags.FeatureFlag;
import dev.ingest.decide.flags.FlagDependencies;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Everything flag evaluation needs of one project, read together.
 *
 * @param flags the live (not deleted) flags, parsed; inactive ones included (local evaluation needs them)
 * @param definitions the same flags as local-evaluation JSON, in the same order
 * @param groupTypes group type index to name
 * @param cohorts every live cohort's property group ({"type","values"}) by id; static cohorts are in staticCohorts
 * @param version changes whenever anything above does (the ETag of local evaluation)
 * @param dependencies how the flags depend on each other, worked out once
 */
public record ProjectDefinitions(List<FeatureFlag> flags, List<JsonNode> definitions, Map<Integer, String> groupTypes,
        Map<String, JsonNode> cohorts, Set<String> staticCohorts, String version, FlagDependencies dependencies) {}
