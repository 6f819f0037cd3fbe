package dev.ingest.decide.api;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code {"distinct_ids": [...]}}: the persons to add to a static cohort, by distinct id. */
public final class StaticCohortPersonsInput {
    static final int MAX_DISTINCT_IDS = 10_000;
    static final int MAX_DISTINCT_ID_LENGTH = 400;

    private StaticCohortPersonsInput() {}

    /** The distinct ids, without duplicates, in request order; numbers are read as text, as capture reads them. */
    public static List<String> distinctIds(ObjectNode body) {
        JsonNode ids = body.get("distinct_ids");
        if (ids == null || ids.isNull()) {
            throw ApiException.invalid("distinct_ids", "This field is required.");
        }
        if (!ids.isArray() || ids.isEmpty()) {
            throw ApiException.invalid("distinct_ids", "Expected a non-empty list of distinct ids.");
        }
        if (ids.size() > MAX_DISTINCT_IDS) {
            throw ApiException.invalid("distinct_ids", "At most " + MAX_DISTINCT_IDS + " distinct ids per request.");
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (JsonNode id : ids) {
            String text;
            if (id.isString()) {
                text = id.stringValue();
            } else if (id.isIntegralNumber()) {
                text = id.asString();
            } else {
                throw ApiException.invalid("distinct_ids", "Every distinct id must be a string, not "
                        + PropertyTrees.abbreviate(id) + ".");
            }
            if (text.isBlank() || text.length() > MAX_DISTINCT_ID_LENGTH) {
                throw ApiException.invalid("distinct_ids", "Distinct ids must be 1 to " + MAX_DISTINCT_ID_LENGTH
                        + " characters.");
            }
            distinct.add(text);
        }
        return List.copyOf(distinct);
    }
}
