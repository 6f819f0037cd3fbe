package dev.ingest.decide.flags;

import dev.ingest.common.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/**
 * A payload of {@code filters.payloads}, both as stored and as JSON.
 *
 * @param stored exactly as in the definition, usually a JSON string such as {@code "{\"a\":1}"}; Django decide
 *     (v3 {@code featureFlagPayloads}) returns this
 * @param parsed a stored string that holds JSON, parsed ({@code {"a":1}}); any other string stays a string node;
 *     a stored non-string is itself. The Rust {@code /flags} response returns this
 */
public record FlagPayload(JsonNode stored, JsonNode parsed) {

    public static FlagPayload of(JsonNode stored) {
        return new FlagPayload(stored, stored.isString() ? parse(stored.stringValue()) : stored);
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode parsed = Json.read(text);
            return parsed == null || parsed.isMissingNode() ? StringNode.valueOf(text) : parsed;
        } catch (JacksonException notJson) {
            return StringNode.valueOf(text);
        }
    }
}
