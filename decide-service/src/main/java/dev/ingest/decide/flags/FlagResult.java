package dev.ingest.decide.flags;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.BooleanNode;
import tools.jackson.databind.node.StringNode;

/**
 * The value of one flag for one person.
 *
 * @param variant the variant key of a multivariate match, else null
 * @param conditionIndex the index (in stored order) of the condition the reason refers to, or null
 * @param payload the payload of the matched value as stored, a string holding JSON (null when disabled or when there
 *     is none)
 */
public record FlagResult(
        String key,
        boolean enabled,
        String variant,
        MatchReason reason,
        Integer conditionIndex,
        String payload) {

    public static FlagResult disabled(String key, MatchReason reason, Integer conditionIndex) {
        return new FlagResult(key, false, null, reason, conditionIndex, null);
    }

    /** The flag value of the legacy responses: the variant key, else {@code true}/{@code false}. */
    public JsonNode value() {
        return variant != null ? StringNode.valueOf(variant) : BooleanNode.valueOf(enabled);
    }

    public String description() {
        return reason.description(conditionIndex);
    }
}
