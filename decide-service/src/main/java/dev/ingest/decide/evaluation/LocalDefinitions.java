package dev.ingest.decide.evaluation;

import dev.ingest.decide.flags.FeatureFlag;
import dev.ingest.decide.flags.FlagDependencies;
import dev.ingest.decide.flags.PropertyType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Flag definitions as the SDKs' local evaluation reads them, where they differ from what is stored: a flag dependency
 * names the flag it depends on by key (stored: by id) and lists its {@code dependency_chain}, the keys of every flag
 * it depends on directly or not, dependencies first, as PostHog's local-evaluation endpoint serves them. A dependency
 * on a flag that does not exist, or one caught in a cycle, gets an empty chain: the SDKs then leave the flag to the
 * server.
 */
final class LocalDefinitions {
    private LocalDefinitions() {}

    /** Rewrites the flag filters of {@code definitions} (the JSON of {@code flags}, in the same order) in place. */
    static void nameDependencies(List<FeatureFlag> flags, List<JsonNode> definitions) {
        Map<Long, FeatureFlag> byId = new HashMap<>();
        flags.forEach(flag -> byId.put(flag.id(), flag));
        FlagDependencies dependencies = FlagDependencies.of(flags);
        for (JsonNode definition : definitions) {
            for (JsonNode group : definition.path("filters").path("groups")) {
                for (JsonNode property : group.path("properties")) {
                    if (property instanceof ObjectNode filter
                            && PropertyType.fromWire(filter.path("type").asString("")) == PropertyType.FLAG) {
                        name(filter, byId, dependencies);
                    }
                }
            }
        }
    }

    private static void name(ObjectNode filter, Map<Long, FeatureFlag> byId, FlagDependencies dependencies) {
        Optional<Long> id = FlagDependencies.id(filter.path("key").asString(""));
        FeatureFlag target = id.map(byId::get).orElse(null);
        ArrayNode chain = filter.putArray("dependency_chain");
        if (target == null) {
            return;
        }
        filter.put("key", target.key());
        if (dependencies.cyclic().contains(target) || dependencies.missingDependency().contains(target)) {
            return;
        }
        for (long dependency : FlagDependencies.chain(target, byId)) {
            chain.add(byId.get(dependency).key());
        }
        chain.add(target.key());
    }
}
