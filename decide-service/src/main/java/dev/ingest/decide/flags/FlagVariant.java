package dev.ingest.decide.flags;

import tools.jackson.databind.JsonNode;

/** One variant of {@code filters.multivariate.variants}; it covers {@code rolloutPercentage}% of the variant hash. */
public record FlagVariant(String key, String name, double rolloutPercentage) {

    public static FlagVariant fromJson(JsonNode node) {
        String key = Nodes.text(node, "key");
        if (key == null) {
            throw new IllegalArgumentException("variant without key: " + node);
        }
        Double percentage = Nodes.percentage(node, "rollout_percentage");
        return new FlagVariant(key, Nodes.text(node, "name"), percentage == null ? 0 : percentage);
    }
}
