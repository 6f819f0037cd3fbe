package dev.ingest.common.json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * TRICKY: PostgreSQL's jsonb cannot store U+0000 (in keys or values): one such character in a $set would fail the
 * whole write. Before JSON goes to a jsonb column, NUL becomes U+FFFD, as PostHog's plugin server does.
 */
public final class JsonbSafe {
    private JsonbSafe() {}

    /** The JSON text for a jsonb column: NUL characters replaced everywhere; the node itself is left alone. */
    public static String write(JsonNode node) {
        return Json.write(hasNul(node) ? sanitize(node) : node);
    }

    static boolean hasNul(JsonNode node) {
        if (node.isString()) {
            return node.asString().indexOf('\0') >= 0;
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                if (entry.getKey().indexOf('\0') >= 0 || hasNul(entry.getValue())) {
                    return true;
                }
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                if (hasNul(child)) {
                    return true;
                }
            }
        }
        return false;
    }

    static JsonNode sanitize(JsonNode node) {
        if (node.isString()) {
            return JsonNodeFactory.instance.stringNode(node.asString().replace('\0', '\uFFFD'));
        }
        if (node instanceof ObjectNode object) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(object.properties());
            for (Map.Entry<String, JsonNode> entry : entries) {
                copy.set(entry.getKey().replace('\0', '\uFFFD'), sanitize(entry.getValue()));
            }
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            array.forEach(child -> copy.add(sanitize(child)));
            return copy;
        }
        return node;
    }
}
