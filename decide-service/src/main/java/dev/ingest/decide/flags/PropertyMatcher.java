package dev.ingest.decide.flags;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * Matches one property filter against a property map as PostHog's flags service does ({@code match_property} in
 * {@code rust/feature-flags/src/properties/property_matching.rs}; docs/posthog-compatibility.md#feature-flags). Pure:
 * the only outside input is the clock, used for relative dates. Cohorts, flag dependencies and {@code negation} are
 * the caller's ({@link PropertyEvaluator}).
 *
 * <ul>
 *   <li>A key the map does not have is absent; a key holding JSON null is present, and its text is {@code null}.
 *   <li>{@code is_set}/{@code is_not_set} look only at presence. Every other operator needs a filter value (a
 *       filter without one, or with null, never matches) and, when the key is absent, matches only if it is a
 *       negative operator ({@link Operator#matchesAbsentValue()}).
 *   <li>Where the service fails a filter with an error (a value that is not a number, an invalid semver filter, a
 *       regex over its backtrack limit), the filter does not match: the service turns those errors into false.
 * </ul>
 */
public final class PropertyMatcher {
    private PropertyMatcher() {}

    public static boolean matches(PropertyFilter filter, Map<String, JsonNode> properties, Clock clock) {
        return matches(filter, filter.key(), properties, clock);
    }

    /** Matches with the value at {@code key} (a person-metadata filter reads a prefixed key). */
    static boolean matches(PropertyFilter filter, String key, Map<String, JsonNode> properties, Clock clock) {
        Operator operator = filter.operator();
        boolean present = properties.containsKey(key);
        switch (operator) {
            case IS_SET:
                return present;
            case IS_NOT_SET:
                return !present;
            case UNSUPPORTED, IN, NOT_IN, FLAG_EVALUATES_TO:
                return false;
            default:
                break;
        }
        JsonNode expected = filter.value();
        if (Nodes.absent(expected)) {
            return false;
        }
        if (!present) {
            return operator.matchesAbsentValue();
        }
        JsonNode actual = properties.get(key);
        return switch (operator) {
            case EXACT -> exact(expected, actual);
            case IS_NOT -> !exact(expected, actual);
            case ICONTAINS -> asciiLower(actual).contains(asciiLower(expected));
            case NOT_ICONTAINS -> !asciiLower(actual).contains(asciiLower(expected));
            case ICONTAINS_MULTI -> containsAny(actual, expected);
            case NOT_ICONTAINS_MULTI -> !containsAny(actual, expected);
            case STARTS_WITH -> asciiLower(actual).startsWith(asciiLower(expected));
            case NOT_STARTS_WITH -> !asciiLower(actual).startsWith(asciiLower(expected));
            case ENDS_WITH -> asciiLower(actual).endsWith(asciiLower(expected));
            case NOT_ENDS_WITH -> !asciiLower(actual).endsWith(asciiLower(expected));
            case REGEX -> regex(expected, actual, true);
            case NOT_REGEX -> regex(expected, actual, false);
            case GT, GTE, LT, LTE -> compare(operator, expected, actual);
            case BETWEEN, NOT_BETWEEN -> between(operator == Operator.BETWEEN, expected, actual);
            case IS_DATE_BEFORE, IS_DATE_AFTER, IS_DATE_EXACT -> date(operator, expected, actual, clock);
            case SEMVER_EQ, SEMVER_NEQ, SEMVER_GT, SEMVER_GTE, SEMVER_LT, SEMVER_LTE -> semver(operator, expected, actual);
            case SEMVER_TILDE -> semverRange(SemanticVersion.tilde(JsonValues.text(expected)), actual);
            case SEMVER_CARET -> semverRange(SemanticVersion.caret(JsonValues.text(expected)), actual);
            case SEMVER_WILDCARD -> semverRange(SemanticVersion.wildcard(JsonValues.text(expected)), actual);
            default -> false;
        };
    }

    /**
     * {@code exact}: a truthiness filter value ({@code true}, {@code "False"}, or an array of only such values, the
     * empty array included) compares truthiness, a property being truthy only when it is {@code true}, the text
     * "true" in any case, or an array of truthy values; an array means "one of", by lower-cased text; otherwise
     * lower-cased text equality.
     */
    static boolean exact(JsonNode expected, JsonNode actual) {
        if (isTruthOrFalsity(expected)) {
            return isTruthy(expected) == isTruthy(actual);
        }
        String actualText = JsonValues.lowerText(actual);
        if (expected.isArray()) {
            for (JsonNode candidate : expected) {
                if (JsonValues.lowerText(candidate).equals(actualText)) {
                    return true;
                }
            }
            return false;
        }
        return JsonValues.lowerText(expected).equals(actualText);
    }

    private static boolean isTruthOrFalsity(JsonNode value) {
        if (value.isBoolean()) {
            return true;
        }
        if (value.isString()) {
            String text = JsonValues.lowerText(value);
            return text.equals("true") || text.equals("false");
        }
        if (value.isArray()) {
            for (JsonNode item : value) {
                if (!isTruthOrFalsity(item)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static boolean isTruthy(JsonNode value) {
        if (value == null) {
            return false;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isString()) {
            return JsonValues.lowerText(value).equals("true");
        }
        if (value.isArray()) {
            for (JsonNode item : value) {
                if (!isTruthy(item)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    private static boolean containsAny(JsonNode actual, JsonNode expected) {
        String haystack = asciiLower(actual);
        if (!expected.isArray()) {
            return haystack.contains(asciiLower(expected));
        }
        for (JsonNode needle : expected) {
            if (haystack.contains(asciiLower(needle))) {
                return true;
            }
        }
        return false;
    }

    /** Case-sensitive, unanchored; an invalid pattern, or one over the backtrack limit, matches for neither. */
    private static boolean regex(JsonNode expected, JsonNode actual, boolean wantMatch) {
        Optional<Boolean> found = RegexCache.find(JsonValues.text(expected), JsonValues.text(actual));
        return found.isPresent() && found.get() == wantMatch;
    }

    /** {@code gt/gte/lt/lte}: numbers only; a side that is not a number does not match. */
    private static boolean compare(Operator operator, JsonNode expected, JsonNode actual) {
        OptionalDouble value = JsonValues.number(actual);
        OptionalDouble limit = JsonValues.number(expected);
        if (value.isEmpty() || limit.isEmpty()) {
            return false;
        }
        double left = value.getAsDouble();
        double right = limit.getAsDouble();
        return switch (operator) {
            case GT -> left > right;
            case GTE -> left >= right;
            case LT -> left < right;
            default -> left <= right;
        };
    }

    /**
     * {@code between}/{@code not_between}: the filter value is {@code [min, max]} of numbers (or numeric strings)
     * with min <= max, both inclusive. A malformed filter or a property that is not a number matches for neither
     * operator; NaN matches for neither.
     */
    private static boolean between(boolean inside, JsonNode expected, JsonNode actual) {
        if (!expected.isArray() || expected.size() != 2) {
            return false;
        }
        OptionalDouble low = JsonValues.number(expected.get(0));
        OptionalDouble high = JsonValues.number(expected.get(1));
        if (low.isEmpty() || high.isEmpty() || Double.isNaN(low.getAsDouble()) || Double.isNaN(high.getAsDouble())
                || low.getAsDouble() > high.getAsDouble()) {
            return false;
        }
        OptionalDouble value = JsonValues.number(actual);
        if (value.isEmpty() || Double.isNaN(value.getAsDouble())) {
            return false;
        }
        boolean inRange = value.getAsDouble() >= low.getAsDouble() && value.getAsDouble() <= high.getAsDouble();
        return inRange == inside;
    }

    private static boolean date(Operator operator, JsonNode expected, JsonNode actual, Clock clock) {
        Optional<Instant> filterDate = DateValues.filterDate(expected, clock);
        Optional<Instant> propertyDate = DateValues.propertyDate(actual, clock);
        if (filterDate.isEmpty() || propertyDate.isEmpty()) {
            return false;
        }
        int order = propertyDate.get().compareTo(filterDate.get());
        return switch (operator) {
            case IS_DATE_BEFORE -> order < 0;
            case IS_DATE_AFTER -> order > 0;
            default -> order == 0;
        };
    }

    private static boolean semver(Operator operator, JsonNode expected, JsonNode actual) {
        Optional<SemanticVersion> propertyVersion = SemanticVersion.parse(JsonValues.text(actual));
        Optional<SemanticVersion> filterVersion = SemanticVersion.parse(JsonValues.text(expected));
        if (filterVersion.isEmpty() || propertyVersion.isEmpty()) {
            return false;
        }
        int order = propertyVersion.get().compareTo(filterVersion.get());
        return switch (operator) {
            case SEMVER_EQ -> order == 0;
            case SEMVER_NEQ -> order != 0;
            case SEMVER_GT -> order > 0;
            case SEMVER_GTE -> order >= 0;
            case SEMVER_LT -> order < 0;
            default -> order <= 0;
        };
    }

    private static boolean semverRange(Optional<Predicate<SemanticVersion>> range, JsonNode actual) {
        Optional<SemanticVersion> version = SemanticVersion.parse(JsonValues.text(actual));
        return range.isPresent() && version.isPresent() && range.get().test(version.get());
    }

    private static String asciiLower(JsonNode value) {
        return JsonValues.asciiLowerText(value);
    }
}
