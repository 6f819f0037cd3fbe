package dev.ingest.decide.api;

import dev.ingest.common.restriction.EventRestriction;
import dev.ingest.decide.store.EventRestrictionRow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** A restriction to create, validated: a known {@code restriction_type}, lists of strings, a note. */
final class EventRestrictionInput {
    static final int MAX_VALUE_LENGTH = 450;
    static final int MAX_VALUES = 1000;
    static final int MAX_NOTE_LENGTH = 1000;
    private static final List<String> LISTS = List.of("distinct_ids", "session_ids", "event_names", "event_uuids");

    private EventRestrictionInput() {}

    static EventRestrictionRow forCreate(ObjectNode body) {
        String type = RequestJson.string(body, "restriction_type");
        if (type == null || EventRestriction.Type.of(type).isEmpty()) {
            throw ApiException.invalid("restriction_type", "Expected one of "
                    + Arrays.stream(EventRestriction.Type.values()).map(EventRestriction.Type::stored).toList() + ".");
        }
        List<List<String>> lists = new ArrayList<>();
        for (String field : LISTS) {
            lists.add(strings(body, field));
        }
        String note = RequestJson.string(body, "note");
        if (note != null && note.length() > MAX_NOTE_LENGTH) {
            throw ApiException.invalid("note", "Ensure this field has no more than " + MAX_NOTE_LENGTH + " characters.");
        }
        return new EventRestrictionRow(0, 0, type, lists.get(0), lists.get(1), lists.get(2), lists.get(3),
                note == null ? "" : note, null);
    }

    /** A list of distinct non-empty strings of at most 450 characters (PostHog's limit); absent or null is empty. */
    private static List<String> strings(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() > MAX_VALUES) {
            throw ApiException.invalid(field, "Expected a list of at most " + MAX_VALUES + " strings.");
        }
        LinkedHashSet<String> values = new LinkedHashSet<>();
        for (JsonNode value : node) {
            if (!value.isString() || value.asString().isEmpty() || value.asString().length() > MAX_VALUE_LENGTH) {
                throw ApiException.invalid(field, "Each value must be a non-empty string of at most " + MAX_VALUE_LENGTH
                        + " characters.");
            }
            values.add(value.asString());
        }
        return List.copyOf(values);
    }
}
