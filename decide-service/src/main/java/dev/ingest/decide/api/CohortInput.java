package dev.ingest.decide.api;

import dev.ingest.common.json.Json;
import dev.ingest.decide.flags.Cohort;
import dev.ingest.decide.store.CohortDraft;
import java.util.LinkedHashSet;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and validates cohort writes: {@code {name, description, filters: {"properties": {"type": "AND|OR",
 * "values": [...]}}, is_static, deleted}}. A dynamic cohort needs {@code filters.properties} (an empty definition
 * would match everyone); a static one is defined by its members and may leave the filters empty.
 */
public final class CohortInput {
    static final int MAX_NAME_LENGTH = 400;

    private CohortInput() {}

    /** A validated write, and the cohorts its filters refer to (the caller checks they are the project's). */
    public record Validated(CohortDraft draft, Set<Long> cohortIds) {}

    public static Validated forCreate(ObjectNode body) {
        Boolean isStatic = RequestJson.bool(body, "is_static");
        Boolean deleted = RequestJson.bool(body, "deleted");
        boolean staticCohort = isStatic != null && isStatic;
        JsonNode filters = body.has("filters") ? filtersField(body) : Json.object();
        Set<Long> cohorts = checkFilters(filters, staticCohort);
        return new Validated(new CohortDraft(name(body, ""), text(body, "description", ""), filters, staticCohort,
                deleted != null && deleted), cohorts);
    }

    /** The fields present replace the current ones; a cohort stays static or dynamic. */
    public static Validated forPatch(CohortDraft current, ObjectNode body) {
        Boolean isStatic = RequestJson.bool(body, "is_static");
        if (isStatic != null && isStatic != current.isStatic()) {
            throw ApiException.invalid("is_static", "A cohort cannot be changed between static and dynamic; create a"
                    + " new one.");
        }
        JsonNode filters = current.filters();
        Set<Long> cohorts = Set.of();
        if (body.has("filters")) {
            filters = filtersField(body);
            cohorts = checkFilters(filters, current.isStatic());
        }
        Boolean deleted = RequestJson.bool(body, "deleted");
        return new Validated(new CohortDraft(
                name(body, current.name()),
                text(body, "description", current.description()),
                filters,
                current.isStatic(),
                deleted == null ? current.deleted() : deleted), cohorts);
    }

    /** Checks {@code filters}; returns the cohorts it refers to. */
    static Set<Long> checkFilters(JsonNode filters, boolean isStatic) {
        JsonNode properties = filters.get("properties");
        if (properties == null || properties.isNull()) {
            if (isStatic) {
                return Set.of();
            }
            throw ApiException.invalid("filters", "A dynamic cohort needs filters {\"properties\": {\"type\":"
                    + " \"AND\"|\"OR\", \"values\": [...]}}.");
        }
        if (!properties.isObject() || !properties.has("values") || properties.has("key")) {
            throw ApiException.invalid("filters", "filters.properties must be a property group {\"type\":"
                    + " \"AND\"|\"OR\", \"values\": [...]}.");
        }
        Set<Long> cohorts = new LinkedHashSet<>();
        PropertyTrees.check(properties, "filters", cohorts);
        try {
            Cohort.dynamicFromJson(filters);
        } catch (RuntimeException unreadable) {
            throw ApiException.invalid("filters", "Invalid filters: " + PropertyTrees.abbreviate(unreadable.getMessage(), 300));
        }
        return Set.copyOf(cohorts);
    }

    private static JsonNode filtersField(ObjectNode body) {
        JsonNode filters = body.get("filters");
        if (filters == null || !filters.isObject()) {
            throw ApiException.invalid("filters", "Filters must be an object.");
        }
        return filters;
    }

    private static String name(ObjectNode body, String current) {
        String name = text(body, "name", current);
        if (name.length() > MAX_NAME_LENGTH) {
            throw ApiException.invalid("name", "Ensure this field has no more than " + MAX_NAME_LENGTH + " characters.");
        }
        return name;
    }

    private static String text(ObjectNode body, String field, String current) {
        if (!body.has(field)) {
            return current;
        }
        String value = RequestJson.string(body, field);
        return value == null ? "" : value;
    }
}
