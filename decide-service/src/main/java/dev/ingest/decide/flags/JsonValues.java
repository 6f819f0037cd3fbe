package dev.ingest.decide.flags;

import java.util.Locale;
import java.util.OptionalDouble;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** Stringification and number parsing with the semantics the PostHog engines give property values. */
final class JsonValues {
    private static final Pattern DECIMAL =
            Pattern.compile("[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?");
    private static final Pattern SPECIAL = Pattern.compile("[+-]?(?:inf|infinity|nan)", Pattern.CASE_INSENSITIVE);

    private JsonValues() {}

    /** A string as itself, anything else as its JSON text ({@code true}, {@code 1.5}, {@code ["a"]}). */
    static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "null";
        }
        return value.isString() ? value.stringValue() : value.toString();
    }

    static String lowerText(JsonNode value) {
        return text(value).toLowerCase(Locale.ROOT);
    }

    /** Python's {@code str(value)}: {@code True}/{@code False} for booleans, {@code None} for null. */
    static String pythonText(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "None";
        }
        if (value.isBoolean()) {
            return value.booleanValue() ? "True" : "False";
        }
        return text(value);
    }

    /**
     * Python's {@code float(value)}: numbers and booleans convert, strings parse when they are a decimal or
     * scientific literal (surrounding whitespace allowed) or inf/infinity/nan. Java-only syntax such as {@code 1d}
     * or hex floats does not parse.
     */
    static OptionalDouble pythonFloat(JsonNode value) {
        if (value == null) {
            return OptionalDouble.empty();
        }
        if (value.isNumber()) {
            return OptionalDouble.of(value.doubleValue());
        }
        if (value.isBoolean()) {
            return OptionalDouble.of(value.booleanValue() ? 1.0 : 0.0);
        }
        if (value.isString()) {
            return parseFloat(value.stringValue());
        }
        return OptionalDouble.empty();
    }

    static OptionalDouble parseFloat(String raw) {
        String text = raw.strip();
        if (DECIMAL.matcher(text).matches()) {
            return OptionalDouble.of(Double.parseDouble(text));
        }
        if (SPECIAL.matcher(text).matches()) {
            boolean negative = text.startsWith("-");
            String word = text.replaceFirst("^[+-]", "").toLowerCase(Locale.ROOT);
            if (word.equals("nan")) {
                return OptionalDouble.of(Double.NaN);
            }
            return OptionalDouble.of(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        }
        return OptionalDouble.empty();
    }

    /** Compares by Unicode code point, as Python and Rust compare strings (Java's compareTo uses UTF-16 units). */
    static int compareCodePoints(String left, String right) {
        int i = 0;
        int j = 0;
        while (i < left.length() && j < right.length()) {
            int a = left.codePointAt(i);
            int b = right.codePointAt(j);
            if (a != b) {
                return Integer.compare(a, b);
            }
            i += Character.charCount(a);
            j += Character.charCount(b);
        }
        return Boolean.compare(i < left.length(), j < right.length());
    }
}
