package dev.ingest.plugin.definition;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * The type a property definition gets from the first value seen, as PostHog's property-defs service detects it
 * ({@code detect_property_type} in {@code rust/property-defs-rs/src/types.rs}; docs/posthog-compatibility.md#
 * event-and-property-definitions). Pure.
 */
public final class PropertyTypes {
    /** The property_type values. */
    public static final String DATE_TIME = "DateTime";
    public static final String STRING = "String";
    public static final String NUMERIC = "Numeric";
    public static final String BOOLEAN = "Boolean";

    private static final List<String> DATE_KEYWORDS = List.of("time", "date", "_at", "-at", "createdat", "updatedat");
    /** A date (year first or last) and optionally a time: a strong hint of intent, not a format check. */
    private static final Pattern DATE_PREFIX = Pattern.compile(
            "^(([0-9]{4}[/-][0-2][0-9][/-][0-3][0-9])|([0-2][0-9][/-][0-3][0-9][/-][0-9]{4}))([ T][0-2][0-9]:[0-6][0-9]:[0-6][0-9].*)?$");
    private static final Duration SIX_MONTHS = Duration.ofSeconds(15_768_000);

    private PropertyTypes() {}

    /** The detected type, or null when the value tells nothing (null, an object, an array). */
    public static String detect(String key, JsonNode value, Instant now) {
        String lowered = key.toLowerCase(Locale.ROOT);
        // Values that look like numbers or booleans at first but are not, later: always strings.
        if (lowered.startsWith("utm_") || lowered.startsWith("$initial_utm_") || lowered.startsWith("$feature/")
                || lowered.equals("$feature_flag_response") || lowered.startsWith("$survey_response")) {
            return STRING;
        }
        if (value == null) {
            return null;
        }
        boolean dateLikeKey = DATE_KEYWORDS.stream().anyMatch(lowered::contains);
        if (dateLikeKey && value.isString() && isLikelyDate(value.asString())) {
            return DATE_TIME;
        }
        if (dateLikeKey && value.isIntegralNumber() && value.canConvertToLong() && value.asLong() >= 0
                && value.asLong() >= now.minus(SIX_MONTHS).getEpochSecond()) {
            return DATE_TIME;
        }
        if (value.isString()) {
            String text = value.asString().strip();
            if (text.equals("true") || text.equals("false") || text.equals("TRUE") || text.equals("FALSE")) {
                return BOOLEAN;
            }
            return isLikelyDate(text) ? DATE_TIME : STRING;
        }
        if (value.isNumber()) {
            return NUMERIC;
        }
        if (value.isBoolean()) {
            return BOOLEAN;
        }
        return null;
    }

    /** RFC 3339, RFC 2822 or a date-first / date-last prefix. */
    static boolean isLikelyDate(String text) {
        return parses(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME) || parses(text, DateTimeFormatter.RFC_1123_DATE_TIME)
                || DATE_PREFIX.matcher(text).matches();
    }

    private static boolean parses(String text, DateTimeFormatter format) {
        try {
            OffsetDateTime.parse(text, format);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
