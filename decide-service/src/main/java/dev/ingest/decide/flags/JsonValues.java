package dev.ingest.decide.flags;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Property values as PostHog's flags service sees them: its Rust engine holds them as {@code serde_json} values, so a
 * non-string is matched as serde_json's text of it and a number is parsed with Rust's {@code f64} grammar
 * (docs/posthog-compatibility.md#feature-flags).
 */
final class JsonValues {
    /** Rust's {@code f64::from_str} decimal grammar: no surrounding whitespace, no hex, no digit separators. */
    private static final Pattern RUST_DECIMAL = Pattern.compile("[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?");
    private static final Pattern RUST_SPECIAL = Pattern.compile("[+-]?(?:inf|infinity|nan)", Pattern.CASE_INSENSITIVE);

    private JsonValues() {}

    /**
     * serde_json's {@code to_string} of a value, a string being itself: {@code null}, {@code true}, {@code 1},
     * {@code 1.0}, {@code 1e16}, objects compact with their keys sorted (serde_json's map is ordered by key).
     */
    static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "null";
        }
        if (value.isString()) {
            return value.stringValue();
        }
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    /** Unicode lower case of {@link #text} (Rust's {@code to_lowercase}, used by {@code exact}). */
    static String lowerText(JsonNode value) {
        return text(value).toLowerCase(Locale.ROOT);
    }

    /** ASCII-only lower case of {@link #text} (Rust's {@code to_ascii_lowercase}, used by the contains family). */
    static String asciiLowerText(JsonNode value) {
        String text = text(value);
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (out == null) {
                    out = new StringBuilder(text);
                }
                out.setCharAt(i, (char) (c + ('a' - 'A')));
            }
        }
        return out == null ? text : out.toString();
    }

    /**
     * The engine's number of a value: a JSON number as itself, anything else its {@link #text} parsed as a Rust
     * {@code f64} ({@code "1.5"}, {@code "1e3"}, {@code "inf"}, {@code "NaN"}; not {@code " 1"}, {@code "true"}).
     */
    static OptionalDouble number(JsonNode value) {
        if (value != null && value.isNumber()) {
            return OptionalDouble.of(value.doubleValue());
        }
        return parseRustFloat(text(value));
    }

    static OptionalDouble parseRustFloat(String text) {
        if (RUST_DECIMAL.matcher(text).matches()) {
            return OptionalDouble.of(Double.parseDouble(text));
        }
        if (RUST_SPECIAL.matcher(text).matches()) {
            String word = text.replaceFirst("^[+-]", "").toLowerCase(Locale.ROOT);
            if (word.equals("nan")) {
                return OptionalDouble.of(Double.NaN);
            }
            return OptionalDouble.of(text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        }
        return OptionalDouble.empty();
    }

    private static void write(JsonNode value, StringBuilder out) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            out.append("null");
        } else if (value.isString()) {
            quote(value.stringValue(), out);
        } else if (value.isBoolean()) {
            out.append(value.booleanValue());
        } else if (value.isIntegralNumber() && (value.canConvertToLong() || fitsUnsignedLong(value))) {
            out.append(value.bigIntegerValue());
        } else if (value.isNumber()) {
            out.append(rustFloat(value.doubleValue()));
        } else if (value.isArray()) {
            out.append('[');
            for (int i = 0; i < value.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(value.get(i), out);
            }
            out.append(']');
        } else if (value.isObject()) {
            List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(value.properties());
            entries.sort((a, b) -> compareCodePoints(a.getKey(), b.getKey()));
            out.append('{');
            for (int i = 0; i < entries.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                quote(entries.get(i).getKey(), out);
                out.append(':');
                write(entries.get(i).getValue(), out);
            }
            out.append('}');
        } else {
            out.append(value);
        }
    }

    private static boolean fitsUnsignedLong(JsonNode value) {
        return value.bigIntegerValue().signum() >= 0 && value.bigIntegerValue().bitLength() <= 64;
    }

    /** serde_json's string escaping: quote, backslash and control characters; everything else as is. */
    private static void quote(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * A finite double as Rust's {@code ryu} prints it for serde_json: the shortest digits that read back, as
     * {@code 100000.0}, {@code 0.001234}, {@code 1e16}, {@code 1.5e-7}.
     */
    static String rustFloat(double value) {
        if (!Double.isFinite(value)) {
            return "null";
        }
        if (value == 0) {
            return (1 / value < 0) ? "-0.0" : "0.0";
        }
        BigDecimal decimal = new BigDecimal(Double.toString(Math.abs(value))).stripTrailingZeros();
        String digits = decimal.unscaledValue().toString();
        int length = digits.length();
        int exponent = -decimal.scale();
        int point = length + exponent;
        StringBuilder out = new StringBuilder(value < 0 ? "-" : "");
        if (exponent >= 0 && point <= 16) {
            out.append(digits).append("0".repeat(exponent)).append(".0");
        } else if (point > 0 && point <= 16) {
            out.append(digits, 0, point).append('.').append(digits, point, length);
        } else if (point > -5 && point <= 0) {
            out.append("0.").append("0".repeat(-point)).append(digits);
        } else if (length == 1) {
            out.append(digits).append('e').append(point - 1);
        } else {
            out.append(digits.charAt(0)).append('.').append(digits, 1, length).append('e').append(point - 1);
        }
        return out.toString();
    }

    /** Compares by Unicode code point, as Rust compares strings (Java's compareTo uses UTF-16 units). */
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
