package dev.ingest.decide.flags;

import java.util.Locale;

/** What a property filter looks at ({@code type} on the wire). */
public enum PropertyType {
    /** The person's properties (the default when {@code type} is missing). */
    PERSON,
    /** The properties of the group at {@code group_type_index}. */
    GROUP,
    /** A column of the person rather than a property: only {@code created_at}. */
    PERSON_METADATA,
    /** Membership of the cohort whose id is the filter value. */
    COHORT,
    /** Another flag's value (flag dependencies): the key is that flag's id, the operator {@code flag_evaluates_to}. */
    FLAG,
    /** Anything else (events, elements, …): cannot be decided from properties, so it never matches. */
    OTHER;

    public static PropertyType fromWire(String type) {
        if (type == null || type.isEmpty()) {
            return PERSON;
        }
        return switch (type.toLowerCase(Locale.ROOT)) {
            case "person" -> PERSON;
            case "group" -> GROUP;
            case "person_metadata" -> PERSON_METADATA;
            case "cohort", "precalculated-cohort", "static-cohort" -> COHORT;
            case "flag" -> FLAG;
            default -> OTHER;
        };
    }
}
