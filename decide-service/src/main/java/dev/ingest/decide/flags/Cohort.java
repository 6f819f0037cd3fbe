package dev.ingest.decide.flags;

import tools.jackson.databind.JsonNode;

/** What a {@link CohortResolver} knows about one cohort, for the person being evaluated. */
public sealed interface Cohort {

    /** A cohort defined by properties: the person is in it when the property tree matches. */
    record Dynamic(PropertyGroup filters) implements Cohort {}

    /** A static (uploaded or precalculated) cohort: membership was looked up for the person. */
    record Static(boolean containsPerson) implements Cohort {}

    /**
     * A dynamic cohort from its definition: the property group itself ({@code {"type", "values"}}), as in the
     * local-evaluation {@code cohorts} map, or Django's cohort {@code filters} ({@code {"properties": {...}}}).
     */
    static Dynamic dynamicFromJson(JsonNode definition) {
        JsonNode group = definition.has("properties") ? definition.get("properties") : definition;
        return new Dynamic(PropertyGroup.fromJson(group));
    }
}
