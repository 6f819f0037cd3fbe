package dev.ingest.decide.flags;

/**
 * Why a flag has its value ({@code reason.code} of /flags v2). When no condition matched, the reason reported is
 * the highest-priority one seen (spec §4.5 step 6).
 */
public enum MatchReason {
    SUPER_CONDITION_VALUE("super_condition_value", 8, "Super condition value"),
    HOLDOUT_CONDITION_VALUE("holdout_condition_value", 7, "Holdout condition value"),
    CONDITION_MATCH("condition_match", 6, "Matched condition set"),
    NO_GROUP_TYPE("no_group_type", 4, "No group type"),
    OUT_OF_ROLLOUT_BOUND("out_of_rollout_bound", 2, "Out of rollout bound"),
    NO_CONDITION_MATCH("no_condition_match", 0, "No matching condition set"),
    FLAG_DISABLED("flag_disabled", -1, "Flag is disabled");

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
