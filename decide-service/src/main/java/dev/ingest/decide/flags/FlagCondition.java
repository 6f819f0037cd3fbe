package dev.ingest.decide.flags;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One condition set of {@code filters.groups} (or of {@code super_groups}/{@code holdout_groups}): all properties
 * must match (AND), then the rollout check applies.
 *
 * @param rolloutPercentage 0–100, fractions allowed; null means 100%
 * @param variant the variant this condition forces, or null
 */
public record FlagCondition(List<PropertyCondition> properties, Double rolloutPercentage, String variant) {

    public FlagCondition {
        properties = List.copyOf(properties);
        variant = variant == null || variant.isEmpty() ? null : variant;
    }

    public static FlagCondition rollout(Double rolloutPercentage) {
        return new FlagCondition(List.of(), rolloutPercentage, null);
    }

    /**
     * {@code properties} is normally a list of filters; a single nested group object is accepted too.
     */
    public static FlagCondition fromJson(JsonNode node) {
        JsonNode properties = node.path("properties");
        List<PropertyCondition> conditions = properties.isObject() && properties.has("values")
                ? List.of(PropertyGroup.fromJson(properties))
                : Nodes.list(node, "properties", PropertyCondition::fromJson);
        return new FlagCondition(conditions, Nodes.percentage(node, "rollout_percentage"), Nodes.text(node, "variant"));
    }
}
