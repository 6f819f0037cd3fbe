package dev.ingest.decide.flags;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The property operators of PostHog's flags service, by wire name ({@code OperatorType} in
 * {@code rust/feature-flags/src/properties/property_models.rs}). {@link #UNSUPPORTED} stands for any name this engine
 * does not know; such a filter never matches.
 */
public enum Operator {
    EXACT("exact", false),
    IS_NOT("is_not", true),
    IS_SET("is_set", false),
    IS_NOT_SET("is_not_set", true),
    ICONTAINS("icontains", false),
    NOT_ICONTAINS("not_icontains", true),
    ICONTAINS_MULTI("icontains_multi", false),
    NOT_ICONTAINS_MULTI("not_icontains_multi", true),
    STARTS_WITH("starts_with", false),
    NOT_STARTS_WITH("not_starts_with", true),
    ENDS_WITH("ends_with", false),
    NOT_ENDS_WITH("not_ends_with", true),
    REGEX("regex", false),
    NOT_REGEX("not_regex", true),
    GT("gt", false),
    GTE("gte", false),
    LT("lt", false),
    LTE("lte", false),
    /** A number within {@code [min, max]} (both inclusive); the filter value is the two-element array. */
    BETWEEN("between", false),
    NOT_BETWEEN("not_between", true),
    IS_DATE_BEFORE("is_date_before", false),
    IS_DATE_AFTER("is_date_after", false),
    IS_DATE_EXACT("is_date_exact", false),
    SEMVER_EQ("semver_eq", false),
    SEMVER_NEQ("semver_neq", false),
    SEMVER_GT("semver_gt", false),
    SEMVER_GTE("semver_gte", false),
    SEMVER_LT("semver_lt", false),
    SEMVER_LTE("semver_lte", false),
    SEMVER_TILDE("semver_tilde", false),
    SEMVER_CARET("semver_caret", false),
    SEMVER_WILDCARD("semver_wildcard", false),
    /** Cohort membership ({@code type: cohort} only). */
    IN("in", false),
    /** Cohort non-membership ({@code type: cohort} only). */
    NOT_IN("not_in", false),
    FLAG_EVALUATES_TO("flag_evaluates_to", false),
    UNSUPPORTED(null, false);

    private static final Map<String, Operator> BY_WIRE_NAME = new HashMap<>();

    static {
        for (Operator operator : values()) {
            if (operator.wireName != null) {
                BY_WIRE_NAME.put(operator.wireName, operator);
            }
        }
    }

    private final String wireName;
    private final boolean matchesAbsentValue;

    Operator(String wireName, boolean matchesAbsentValue) {
        this.wireName = wireName;
        this.matchesAbsentValue = matchesAbsentValue;
    }

    /** The operator named on the wire; a missing or null name is {@link #EXACT}, an unknown one {@link #UNSUPPORTED}. */
    public static Operator fromWire(String name) {
        if (name == null || name.isEmpty()) {
            return EXACT;
        }
        return BY_WIRE_NAME.getOrDefault(name.toLowerCase(Locale.ROOT), UNSUPPORTED);
    }

    public String wireName() {
        return wireName;
    }

    /**
     * Whether the operator matches a property that is absent (a key the properties do not have; a key holding null is
     * present). True only for the negative operators, as in PostHog's flags service: a person without {@code email}
     * matches {@code email not_icontains "@corp.com"} and {@code email is_not "x"}.
     */
    public boolean matchesAbsentValue() {
        return matchesAbsentValue;
    }
}
