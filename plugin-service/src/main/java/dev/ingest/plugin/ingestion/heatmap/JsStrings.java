package dev.ingest.plugin.ingestion.heatmap;

import java.math.BigDecimal;
import java.util.StringJoiner;
import tools.jackson.databind.JsonNode;

/**
 * JavaScript's {@code String(value)} of a JSON value, which PostHog applies to a heatmap's {@code $session_id}: an
 * absent value is {@code "undefined"}, null {@code "null"}, an object {@code "[object Object]"}, an array its
 * elements joined by commas.
 */
final class JsStrings {
    private JsStrings() {}

    static String of(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "undefined";
        }
        if (value.isNull()) {
            return "null";
        }
        if (value.isString()) {
            return value.asString();
        }
        if (value.isBoolean()) {
            return Boolean.toString(value.asBoolean());
        }
        if (value.isNumber()) {
            return number(value);
        }
        if (value.isArray()) {
            StringJoiner joined = new StringJoiner(",");
            for (JsonNode element : value) {
                joined.add(element.isNull() ? "" : of(element));
            }
            return joined.toString();
        }
        return "[object Object]";
    }

    /** Integers as digits; other numbers in plain notation (JavaScript switches to exponents only beyond 1e21). */
    private static String number(JsonNode value) {
        BigDecimal decimal = value.decimalValue().stripTrailingZeros();
        if (decimal.abs().compareTo(BigDecimal.TEN.pow(21)) >= 0) {
            return Double.toString(value.asDouble());
        }
        String plain = decimal.toPlainString();
        return plain.equals("-0") ? "0" : plain;
    }
}
