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
 * whole write. Before JSON goes to a jsonb column, NUL becomes U+FFFD, as PostHog's plugin server does. A lone UTF-16
 * surrogate (JSON's "\ud800") has no UTF-8 form either: the driver would turn it into '?', so it becomes U+FFFD too,
 * the character ClickHouse's rows carry for it; what PostgreSQL stores is then exactly the cleaned node.
 */
public final class JsonbSafe {
    private JsonbSafe() {}

    /** The JSON text for a jsonb column: the {@link #clean} form of the node; the node itself is left alone. */
    public static String write(JsonNode node) {
        return Json.write(clean(node));
    }

    /** The node itself when PostgreSQL can store it as it is, else a copy with the offending characters replaced. */
    @SuppressWarnings("unchecked")
    public static <T extends JsonNode> T clean(T node) {
        return hasNul(node) ? (T) sanitize(node) : node;
    }

    static boolean hasNul(JsonNode node) {
        if (node.isString()) {
            return unstorable(node.asString());
        }
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                if (unstorable(entry.getKey()) || hasNul(entry.getValue())) {
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

    private static boolean unstorable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return true;
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            }
        }
        return false;
    }

    /** NUL and every unpaired surrogate replaced by U+FFFD. */
    static String text(String text) {
        if (!unstorable(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else {
                out.append(c == '\0' || Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    static JsonNode sanitize(JsonNode node) {
        if (node.isString()) {
            return JsonNodeFactory.instance.stringNode(text(node.asString()));
        }
        if (node instanceof ObjectNode object) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(object.properties());
            for (Map.Entry<String, JsonNode> entry : entries) {
                copy.set(text(entry.getKey()), sanitize(entry.getValue()));
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
