package dev.ingest.decide.evaluation;

import dev.ingest.decide.flags.FeatureFlag;
import dev.ingest.decide.flags.FlagDependencies;
import dev.ingest.decide.flags.PropertyType;
import java.util.List;
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

    /** Rewrites the flag filters of {@code definitions} (the JSON of the flags {@code dependencies} holds) in place. */
    static void nameDependencies(FlagDependencies dependencies, List<JsonNode> definitions) {
        for (JsonNode definition : definitions) {
            for (JsonNode group : definition.path("filters").path("groups")) {
                for (JsonNode property : group.path("properties")) {
                    if (property instanceof ObjectNode filter
                            && PropertyType.fromWire(filter.path("type").asString("")) == PropertyType.FLAG) {
                        name(filter, dependencies);
                    }
                }
            }
        }
    }

    private static void name(ObjectNode filter, FlagDependencies dependencies) {
        Optional<Long> id = FlagDependencies.id(filter.path("key").asString(""));
        FeatureFlag target = id.flatMap(dependencies::flag).orElse(null);
        ArrayNode chain = filter.putArray("dependency_chain");
        if (target == null) {
            return;
        }
        filter.put("key", target.key());
        if (dependencies.cyclic().contains(target) || dependencies.missingDependency().contains(target)) {
            return;
        }
        for (long dependency : dependencies.chain(target)) {
            chain.add(dependencies.flag(dependency).orElseThrow().key());
        }
        chain.add(target.key());
    }
}
