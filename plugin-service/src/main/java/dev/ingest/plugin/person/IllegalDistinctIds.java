package dev.ingest.plugin.person;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Distinct ids that must never merge persons (docs/posthog-compatibility.md#persons-and-merges): placeholders SDKs send
 * when they have no real id. They still create and update persons on ordinary events.
 */
public final class IllegalDistinctIds {
    private static final Set<String> CASE_INSENSITIVE = quoted(Set.of("anonymous", "guest", "distinctid", "distinct_id", "id",
            "not_authenticated", "email", "undefined", "true", "false"));
    private static final Set<String> CASE_SENSITIVE = quoted(Set.of("[object Object]", "NaN", "None", "none", "null", "0",
            "undefined"));

    private IllegalDistinctIds() {}

    public static boolean isIllegal(String distinctId) {
        return distinctId.trim().isEmpty()
                || CASE_INSENSITIVE.contains(distinctId.toLowerCase(Locale.ROOT))
                || CASE_SENSITIVE.contains(distinctId);
    }

    /** Each entry as is, in single quotes and in double quotes. */
    private static Set<String> quoted(Set<String> values) {
        Set<String> all = new HashSet<>();
        for (String value : values) {
            all.add(value);
            all.add("'" + value + "'");
            all.add("\"" + value + "\"");
        }
        return Set.copyOf(all);
    }
}
