package dev.ingest.decide.it;

import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Where posthog-node's local evaluation (5.70, property matching version 1) is known to answer differently from
 * PostHog's flags service, which decide-service follows. The differential test skips a case whose flag has a filter
 * in one of these classes for the person's value, and counts it under the reason. Everything else the SDK decides
 * must agree. (Where the SDK knows it cannot match the service, for example an integer compared with {@code exact},
 * a property it was not given or a regex it cannot run the same way, it declines to answer, and nothing is compared.)
 */
final class KnownDivergences {
    /** Numbers both Rust's f64 parser and JavaScript's parseFloat read whole and the same. */
    private static final Pattern PLAIN_NUMBER = Pattern.compile("-?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?");
    /** The date forms JavaScript's Date and the service read as the same instant (UTC team). */
    private static final Pattern ISO_DATE = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}(?:T\\d{2}:\\d{2}:\\d{2}(?:\\.\\d+)?(?:Z|[+-]\\d{2}:\\d{2}))?");

    static final String NUMERIC_TEXT = "gt/gte/lt/lte with a side that is not a number: the SDK compares the texts"
            + " (and parseFloat reads a number's prefix), the service does not match";
    static final String SEMVER_SUFFIX = "semver on a value with '-' or '+': the SDK drops pre-release and build parts"
            + " (and reads 2024-05-01 as 2024.0.0), the service orders them or refuses them";
    static final String DATE_FORMS = "dates from numbers or non-ISO text: the SDK reads numbers as milliseconds and text"
            + " with JavaScript's Date, the service reads seconds and its own formats";
    static final String CONTAINER_TEXT = "substring and regex operators on an array or object: the SDK matches"
            + " String(value) (\"pro\" for [\"pro\"]), the service its JSON text";

    private KnownDivergences() {}

    /** The reason the SDK and the service may differ on this filter for this person, if any. */
    static Optional<String> of(JsonNode filter, JsonNode personProperties) {
        String key = filter.path("key").asString();
        if (!personProperties.has(key)) {
            return Optional.empty();
        }
        JsonNode actual = personProperties.get(key);
        JsonNode expected = filter.path("value");
        String operator = filter.path("operator").asString("exact");
        switch (operator) {
            case "gt", "gte", "lt", "lte" -> {
                if (!actual.isNull() && (!plainNumber(actual) || !plainNumber(expected))) {
                    return Optional.of(NUMERIC_TEXT);
                }
            }
            case "is_date_before", "is_date_after" -> {
                if (!actual.isNull() && !actual.isBoolean() && !(actual.isString() && ISO_DATE.matcher(actual.asString()).matches())) {
                    return Optional.of(DATE_FORMS);
                }
            }
            case "icontains", "not_icontains", "starts_with", "not_starts_with", "ends_with", "not_ends_with", "regex",
                    "not_regex" -> {
                if (actual.isContainer()) {
                    return Optional.of(CONTAINER_TEXT);
                }
            }
            default -> {
                if (operator.startsWith("semver") && actual.isString()
                        && (actual.asString().contains("-") || actual.asString().contains("+"))) {
                    return Optional.of(SEMVER_SUFFIX);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean plainNumber(JsonNode value) {
        return value.isNumber() || (value.isString() && PLAIN_NUMBER.matcher(value.asString()).matches());
    }
}
