package dev.ingest.plugin.ingestion.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * Autocapture's {@code $elements} array as the {@code elements_chain} string
 * (docs/posthog-compatibility.md#autocapture-elements-chain): per element the tag, its sorted classes, then
 * {@code key="value"} attributes sorted by key; elements joined by ';'.
 */
public final class ElementsChain {
    static final int MAX_TEXT = 400;
    static final int MAX_HREF = 2048;

    private ElementsChain() {}

    /** One element as extractElements leaves it; {@code attributes} keep their {@code attr__} prefix. */
    public record Element(String tagName, String text, String href, List<String> classes, String attrId, Integer nthChild,
            Integer nthOfType, Map<String, String> attributes) {}

    public static List<Element> extract(JsonNode elements) {
        List<Element> extracted = new ArrayList<>();
        if (elements == null || !elements.isArray()) {
            return extracted;
        }
        for (JsonNode element : elements) {
            if (!element.isObject()) {
                continue;
            }
            Map<String, String> attributes = new TreeMap<>();
            for (Map.Entry<String, JsonNode> entry : element.properties()) {
                if (entry.getKey().startsWith("attr__")) {
                    attributes.put(entry.getKey(), text(entry.getValue()));
                }
            }
            extracted.add(new Element(text(element.get("tag_name")), truncate(text(element.get("$el_text")), MAX_TEXT),
                    truncate(text(element.get("attr__href")), MAX_HREF), classes(element), text(element.get("attr__id")),
                    integer(element.get("nth_child")), integer(element.get("nth_of_type")), attributes));
        }
        return extracted;
    }

    public static String toChain(List<Element> elements) {
        List<String> parts = new ArrayList<>(elements.size());
        for (Element element : elements) {
            StringBuilder part = new StringBuilder();
            if (element.tagName() != null) {
                part.append(element.tagName());
            }
            if (element.classes() != null) {
                element.classes().stream().sorted().forEach(c -> part.append('.').append(c.replace("\"", "")));
            }
            part.append(':');
            Map<String, String> attributes = new TreeMap<>();
            if (element.text() != null) {
                attributes.put("text", element.text());
            }
            attributes.put("nth-child", String.valueOf(element.nthChild() == null ? 0 : element.nthChild()));
            attributes.put("nth-of-type", String.valueOf(element.nthOfType() == null ? 0 : element.nthOfType()));
            if (element.href() != null) {
                attributes.put("href", element.href());
            }
            if (element.attrId() != null) {
                attributes.put("attr_id", element.attrId());
            }
            attributes.putAll(element.attributes());
            attributes.forEach((key, value) -> part.append(escape(key)).append("=\"").append(escape(value)).append('"'));
            parts.add(part.toString());
        }
        return String.join(";", parts);
    }

    private static List<String> classes(JsonNode element) {
        JsonNode value = element.get("attr__class");
        if (value == null || value.isNull()) {
            value = element.get("classes");
        }
        if (value == null || value.isNull()) {
            return null;
        }
        List<String> classes = new ArrayList<>();
        if (value.isArray()) {
            value.forEach(c -> classes.add(text(c)));
        } else {
            for (String c : text(value).split(" ")) {
                if (!c.isEmpty()) {
                    classes.add(c);
                }
            }
        }
        return classes;
    }

    private static String escape(String value) {
        return value.replace("\"", "\\\"");
    }

    private static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        return value.isString() ? value.asString() : value.toString();
    }

    private static Integer integer(JsonNode value) {
        return value != null && value.canConvertToInt() ? value.asInt() : null;
    }

    private static String truncate(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
