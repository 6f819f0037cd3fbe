package dev.ingest.decide.flags;

import com.google.re2j.Pattern;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * Matches one property filter against a property map (spec §4.6). Pure: the only outside input is the clock, used
 * for relative dates. {@code negation} and cohorts are handled by the caller ({@link PropertyEvaluator}).
 *
 * <p>Absent and null values are the same thing here (ingestion never stores null properties): {@code is_set} is
 * false, {@code is_not_set} true, the negative operators ({@link Operator#matchesAbsentValue()}) true, all others
 * false. A filter without a value only serves {@code is_set}/{@code is_not_set}.
 */
public final class PropertyMatcher {
    private PropertyMatcher() {}

    public static boolean matches(PropertyFilter filter, Map<String, JsonNode> properties, Clock clock) {
        Operator operator = filter.operator();
        JsonNode actual = properties.get(filter.key());
        boolean absent = Nodes.absent(actual);
        switch (operator) {
            case IS_SET:
                return !absent;
            case IS_NOT_SET:
                return absent;
            case UNSUPPORTED, IN, NOT_IN, FLAG_EVALUATES_TO:
                return false;
            default:
                break;
        }
        JsonNode expected = filter.value();
        if (Nodes.absent(expected)) {
            return false;
        }
        if (absent) {
            return operator.matchesAbsentValue();
        }
        return switch (operator) {
            case EXACT -> exact(expected, actual);
            case IS_NOT -> !exact(expected, actual);
            case ICONTAINS -> lower(actual).contains(lower(expected));
            case NOT_ICONTAINS -> !lower(actual).contains(lower(expected));
            case ICONTAINS_MULTI -> containsAny(actual, expected);
            case NOT_ICONTAINS_MULTI -> !containsAny(actual, expected);
            case STARTS_WITH -> lower(actual).startsWith(lower(expected));
            case NOT_STARTS_WITH -> !lower(actual).startsWith(lower(expected));
            case ENDS_WITH -> lower(actual).endsWith(lower(expected));
            case NOT_ENDS_WITH -> !lower(actual).endsWith(lower(expected));
            case REGEX -> regex(expected, actual, true);
            case NOT_REGEX -> regex(expected, actual, false);
            case GT, GTE, LT, LTE -> compare(operator, expected, actual);
            case IS_DATE_BEFORE, IS_DATE_AFTER, IS_DATE_EXACT -> date(operator, expected, actual, clock);
            case SEMVER_EQ, SEMVER_NEQ, SEMVER_GT, SEMVER_GTE, SEMVER_LT, SEMVER_LTE -> semver(operator, expected, actual);
            case SEMVER_TILDE -> semverRange(SemanticVersion.tilde(JsonValues.text(expected)), actual);
            case SEMVER_CARET -> semverRange(SemanticVersion.caret(JsonValues.text(expected)), actual);
            case SEMVER_WILDCARD -> semverRange(SemanticVersion.wildcard(JsonValues.text(expected)), actual);
            default -> false;
        };
    }

    /**
     * {@code exact}: a boolean-like filter value ({@code true}, {@code "True"}, {@code ["false"]}, …) compares the
     * lower-cased text of the property with "true"/"false"; a list means "one of"; otherwise case-insensitive text.
     */
    static boolean exact(JsonNode expected, JsonNode actual) {
        Optional<Boolean> booleanLike = booleanLike(expected);
        String actualText = lower(actual);
        if (booleanLike.isPresent()) {
            return actualText.equals(booleanLike.get() ? "true" : "false");
        }
        if (expected.isArray()) {
            for (JsonNode candidate : expected) {
                if (lower(candidate).equals(actualText)) {
                    return true;
                }
            }
            return false;
        }
        return lower(expected).equals(actualText);
    }

    private static Optional<Boolean> booleanLike(JsonNode value) {
        if (value.isBoolean()) {
            return Optional.of(value.booleanValue());
        }
        if (value.isString()) {
            String text = lower(value);
            return text.equals("true") || text.equals("false") ? Optional.of(text.equals("true")) : Optional.empty();
        }
        if (value.isArray() && value.size() == 1) {
            return booleanLike(value.get(0));
        }
        return Optional.empty();
    }

    private static boolean containsAny(JsonNode actual, JsonNode expected) {
        String haystack = lower(actual);
        if (!expected.isArray()) {
            return haystack.contains(lower(expected));
        }
        for (JsonNode needle : expected) {
            if (haystack.contains(lower(needle))) {
                return true;
            }
        }
        return false;
    }

    /** An invalid pattern matches nothing, for {@code regex} and {@code not_regex} alike. */
    private static boolean regex(JsonNode expected, JsonNode actual, boolean wantMatch) {
        Optional<Pattern> pattern = RegexCache.compile(JsonValues.text(expected));
        if (pattern.isEmpty()) {
            return false;
        }
        boolean found = pattern.get().matcher(JsonValues.text(actual)).find();
        return found == wantMatch;
    }

    /**
     * {@code gt/gte/lt/lte}, Python's rules: with a numeric filter value, a string property compares as text with
     * the filter value's text and a number (or boolean) property compares numerically; with a non-numeric filter
     * value both sides compare as text. Objects and arrays never match.
     */
    private static boolean compare(Operator operator, JsonNode expected, JsonNode actual) {
        OptionalDouble expectedNumber = JsonValues.pythonFloat(expected);
        int order;
        if (expectedNumber.isPresent() && !actual.isString()) {
            if (!actual.isNumber() && !actual.isBoolean()) {
                return false;
            }
            double actualNumber = JsonValues.pythonFloat(actual).getAsDouble();
            double limit = expectedNumber.getAsDouble();
            if (Double.isNaN(actualNumber) || Double.isNaN(limit)) {
                return false;
            }
            order = Double.compare(actualNumber, limit);
            if (actualNumber == limit) {
                order = 0;
            }
        } else {
            order = JsonValues.compareCodePoints(JsonValues.pythonText(actual), JsonValues.pythonText(expected));
        }
        return switch (operator) {
            case GT -> order > 0;
            case GTE -> order >= 0;
            case LT -> order < 0;
            default -> order <= 0;
        };
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
        Optional<SemanticVersion> filterVersion = SemanticVersion.parse(JsonValues.text(expected));
        Optional<SemanticVersion> propertyVersion = SemanticVersion.parse(JsonValues.text(actual));
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

    private static String lower(JsonNode value) {
        return JsonValues.lowerText(value);
    }
}
