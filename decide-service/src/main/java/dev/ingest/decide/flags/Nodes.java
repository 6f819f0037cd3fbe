package dev.ingest.decide.flags;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/** Lenient reads of optional fields of a flag definition. */
final class Nodes {
    private Nodes() {}

    static boolean absent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    static String text(JsonNode parent, String field) {
        JsonNode node = parent.path(field);
        if (absent(node)) {
            return null;
        }
        return node.isString() ? node.stringValue() : node.toString();
    }

    static boolean bool(JsonNode parent, String field, boolean fallback) {
        JsonNode node = parent.path(field);
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isString()) {
            return Boolean.parseBoolean(node.stringValue().strip());
        }
        return absent(node) ? fallback : node.asBoolean(fallback);
    }

    static Integer integer(JsonNode parent, String field) {
        JsonNode node = parent.path(field);
        if (node.isIntegralNumber() && node.canConvertToInt()) {
            return node.intValue();
        }
        if (node.isString() && node.stringValue().strip().matches("-?\\d{1,9}")) {
            return Integer.parseInt(node.stringValue().strip());
        }
        if (absent(node)) {
            return null;
        }
        throw new IllegalArgumentException(field + " is not an integer: " + node);
    }

    static Long longValue(JsonNode parent, String field) {
        JsonNode node = parent.path(field);
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isString() && node.stringValue().strip().matches("-?\\d{1,18}")) {
            return Long.parseLong(node.stringValue().strip());
        }
        return null;
    }

    /** A percentage: a number or a numeric string; null when absent; an error when it is anything else. */
    static Double percentage(JsonNode parent, String field) {
        JsonNode node = parent.path(field);
        if (absent(node)) {
            return null;
        }
        OptionalDouble value = node.isBoolean() ? OptionalDouble.empty() : JsonValues.number(node);
        if (value.isEmpty() || Double.isNaN(value.getAsDouble())) {
            throw new IllegalArgumentException(field + " is not a number: " + node);
        }
        return value.getAsDouble();
    }

    static <T> List<T> list(JsonNode parent, String field, Function<JsonNode, T> reader) {
        JsonNode node = parent.path(field);
        List<T> items = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode item : node) {
                if (!absent(item)) {
                    items.add(reader.apply(item));
                }
            }
        }
        return List.copyOf(items);
    }
}
