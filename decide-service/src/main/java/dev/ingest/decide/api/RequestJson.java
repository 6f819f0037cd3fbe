package dev.ingest.decide.api;

import java.util.Locale;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads management API request bodies: strict JSON (no NaN, no duplicate keys), an object at the top, and typed
 * field reads whose errors name the field. PostgreSQL cannot store a NUL character in text or JSONB, so one anywhere
 * in the body is a 400 naming its top-level field, never a 500.
 */
public final class RequestJson {
    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private RequestJson() {}

    /** The body as an object; an empty body is {@code {}}. */
    public static ObjectNode object(byte[] body) {
        if (body == null || body.length == 0) {
            return STRICT.createObjectNode();
        }
        JsonNode node;
        try {
            node = STRICT.readTree(body);
        } catch (JacksonException e) {
            throw ApiException.parseError("JSON parse error - " + e.getOriginalMessage());
        }
        if (node == null || node.isMissingNode()) {
            return STRICT.createObjectNode();
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.parseError("The request body must be a JSON object.");
        }
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (field.getKey().indexOf('\0') >= 0 || containsNul(field.getValue())) {
                throw ApiException.invalid(field.getKey(), "Null characters are not allowed.");
            }
        }
        return object;
    }

    /** A string field: null when absent or null; a 400 naming the field when it is not a string. */
    public static String string(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw ApiException.invalid(field, "Not a valid string.");
        }
        return node.stringValue();
    }

    /**
     * A boolean field: null when absent; a 400 when null or not a boolean. Like Django REST framework, "true"/"false"
     * strings and 1/0 are booleans too.
     */
    public static Boolean bool(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isString()) {
            switch (node.stringValue().strip().toLowerCase(Locale.ROOT)) {
                case "true", "1" -> {
                    return true;
                }
                case "false", "0" -> {
                    return false;
                }
                default -> { }
            }
        }
        if (node.isIntegralNumber() && (node.asLong() == 0 || node.asLong() == 1)) {
            return node.asLong() == 1;
        }
        throw ApiException.invalid(field, node.isNull() ? "This field may not be null." : "Must be a valid boolean.");
    }

    /** Whether the body sets {@code field} (to anything, null included). */
    public static boolean has(JsonNode body, String field) {
        return body.has(field);
    }

    private static boolean containsNul(JsonNode node) {
        if (node.isString()) {
            return node.stringValue().indexOf('\0') >= 0;
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (field.getKey().indexOf('\0') >= 0 || containsNul(field.getValue())) {
                    return true;
                }
            }
            return false;
        }
        if (node.isArray()) {
            for (JsonNode item : node) {
                if (containsNul(item)) {
                    return true;
                }
            }
        }
        return false;
    }
}
