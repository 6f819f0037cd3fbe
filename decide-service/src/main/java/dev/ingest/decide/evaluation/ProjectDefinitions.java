package dev.ingest.decide.evaluation;

import dev.ingest.decide.flags.FeatureFlag;
import dev.ingest.decide.flags.FlagDependencies;
import java.util.HashMap;
import java.util.HashSet;
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
 * @param needs what each flag needs from PostgreSQL, by flag key, worked out once
 */
public record ProjectDefinitions(List<FeatureFlag> flags, List<JsonNode> definitions, Map<Integer, String> groupTypes,
        Map<String, JsonNode> cohorts, Set<String> staticCohorts, String version, FlagDependencies dependencies,
        Map<String, FlagNeeds> needs) {
    public ProjectDefinitions(List<FeatureFlag> flags, List<JsonNode> definitions, Map<Integer, String> groupTypes,
            Map<String, JsonNode> cohorts, Set<String> staticCohorts, String version, FlagDependencies dependencies) {
        this(flags, definitions, groupTypes, cohorts, staticCohorts, version, dependencies, needsOf(flags));
    }

    /** What {@code flag} (one of {@link #flags()}) needs from PostgreSQL. */
    public FlagNeeds needsOf(FeatureFlag flag) {
        FlagNeeds known = needs.get(flag.key());
        return known != null ? known : FlagNeeds.of(flag);
    }

    private static Map<String, FlagNeeds> needsOf(List<FeatureFlag> flags) {
        Map<String, FlagNeeds> needs = new HashMap<>();
        Set<String> repeated = new HashSet<>();
        for (FeatureFlag flag : flags) {
            if (needs.put(flag.key(), FlagNeeds.of(flag)) != null) {
                repeated.add(flag.key());
            }
        }
        // Two live flags with one key (the table should not allow it): each is worked out when asked.
        repeated.forEach(needs::remove);
        return Map.copyOf(needs);
    }
}
