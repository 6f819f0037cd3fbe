package dev.ingest.decide.flags;

import tools.jackson.databind.JsonNode;

/** A node of a property tree: one {@link PropertyFilter} or a nested AND/OR {@link PropertyGroup}. */
public sealed interface PropertyCondition permits PropertyFilter, PropertyGroup {

    /** A group when the node has {@code values} (the nested {@code {type, values}} shape), else a filter. */
    static PropertyCondition fromJson(JsonNode node) {
        return node.has("values") && !node.has("key") ? PropertyGroup.fromJson(node) : PropertyFilter.fromJson(node);
    }
}
