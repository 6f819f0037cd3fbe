package dev.ingest.decide.flags;

/**
 * Why a flag has its value ({@code reason.code} of /flags v2). When no condition matched, the reason reported is
 * the highest-priority one seen, a later condition winning a tie; the priorities are those of PostHog's flags service
 * ({@code rust/feature-flags/src/flags/flag_match_reason.rs}).
 */
public enum MatchReason {
    SUPER_CONDITION_VALUE("super_condition_value", 6, "Super condition value"),
    HOLDOUT_CONDITION_VALUE("holdout_condition_value", 5, "Holdout condition value"),
    CONDITION_MATCH("condition_match", 4, "Matched condition set"),
    OUT_OF_ROLLOUT_BOUND("out_of_rollout_bound", 3, "Out of rollout bound"),
    NO_CONDITION_MATCH("no_condition_match", 2, "No matching condition set"),
    NO_GROUP_TYPE("no_group_type", 1, "No group type"),
    FLAG_DISABLED("flag_disabled", 0, "Flag is disabled"),
    /** A flag it depends on ({@code type: flag} filters) does not exist: the flag is false and not evaluated. */
    MISSING_DEPENDENCY("missing_dependency", -1, "Flag cannot be evaluated due to missing dependency");

    private final String code;
    private final int priority;
    private final String description;

    MatchReason(String code, int priority, String description) {
        this.code = code;
        this.priority = priority;
        this.description = description;
    }

    public String code() {
        return code;
    }

    public int priority() {
        return priority;
    }

    /** {@code reason.description}: "Matched condition set 2" for condition index 1, else a fixed text. */
    public String description(Integer conditionIndex) {
        if (this == CONDITION_MATCH) {
            return description + " " + ((conditionIndex == null ? 0 : conditionIndex) + 1);
        }
        return description;
    }
}
