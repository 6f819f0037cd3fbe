package dev.ingest.decide.flags;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A nested property group {@code {"type": "AND"|"OR", "values": [...]}}, the shape of cohort definitions. An empty
 * group matches (it is a no-op), as in PostHog.
 */
public record PropertyGroup(Logic logic, List<PropertyCondition> values) implements PropertyCondition {

    public enum Logic {
        AND,
        OR
    }

    public PropertyGroup {
        values = List.copyOf(values);
    }

    public static PropertyGroup and(List<? extends PropertyCondition> values) {
        return new PropertyGroup(Logic.AND, List.copyOf(values));
    }

    public static PropertyGroup or(List<? extends PropertyCondition> values) {
        return new PropertyGroup(Logic.OR, List.copyOf(values));
    }

    public static PropertyGroup fromJson(JsonNode node) {
        Logic logic = "OR".equalsIgnoreCase(Nodes.text(node, "type")) ? Logic.OR : Logic.AND;
        return new PropertyGroup(logic, Nodes.list(node, "values", PropertyCondition::fromJson));
    }
}
