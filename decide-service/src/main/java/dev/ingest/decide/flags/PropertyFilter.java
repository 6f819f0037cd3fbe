package dev.ingest.decide.flags;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

/**
 * One property filter: {@code {key, value, operator, type, group_type_index, negation}} (PostHog's {@code PropertyFilter}).
 *
 * @param value the filter value; {@link NullNode} when absent (only {@code is_set}/{@code is_not_set} can then match)
 * @param groupTypeIndex for {@link PropertyType#GROUP} filters, the group type; null otherwise
 * @param negation inverts the outcome (a missing cohort stays a non-match)
 */
public record PropertyFilter(
        String key, JsonNode value, Operator operator, PropertyType type, Integer groupTypeIndex, boolean negation)
        implements PropertyCondition {

    public PropertyFilter {
        value = value == null ? NullNode.getInstance() : value;
        operator = operator == null ? Operator.EXACT : operator;
        type = type == null ? PropertyType.PERSON : type;
    }

    public static PropertyFilter person(String key, Operator operator, JsonNode value) {
        return new PropertyFilter(key, value, operator, PropertyType.PERSON, null, false);
    }

    public static PropertyFilter fromJson(JsonNode node) {
        String key = Nodes.text(node, "key");
        if (key == null) {
            throw new IllegalArgumentException("property filter without key: " + node);
        }
        return new PropertyFilter(
                key,
                node.path("value").isMissingNode() ? null : node.get("value"),
                Operator.fromWire(Nodes.text(node, "operator")),
                PropertyType.fromWire(Nodes.text(node, "type")),
                Nodes.integer(node, "group_type_index"),
                Nodes.bool(node, "negation", false));
    }

    public PropertyFilter negated() {
        return new PropertyFilter(key, value, operator, type, groupTypeIndex, !negation);
    }

    /** For a cohort filter: the cohort id, the value as text ({@code 5} and {@code "5"} are the same cohort). */
    public String cohortId() {
        return JsonValues.text(value);
    }
}
