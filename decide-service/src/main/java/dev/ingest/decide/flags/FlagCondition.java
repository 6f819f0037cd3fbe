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
     * {@code properties} is normally a list of filters; a single nested group object is accepted too. Anything else
     * is rejected rather than read as "no properties" (which would match everyone).
     */
    public static FlagCondition fromJson(JsonNode node) {
        JsonNode properties = node.path("properties");
        List<PropertyCondition> conditions;
        if (properties.isObject() && properties.has("values")) {
            conditions = List.of(PropertyGroup.fromJson(properties));
        } else if (Nodes.absent(properties) || properties.isArray()) {
            conditions = Nodes.list(node, "properties", PropertyCondition::fromJson);
        } else {
            throw new IllegalArgumentException("condition properties are neither a list nor a group: " + properties);
        }
        return new FlagCondition(conditions, Nodes.percentage(node, "rollout_percentage"), Nodes.text(node, "variant"));
    }
}
