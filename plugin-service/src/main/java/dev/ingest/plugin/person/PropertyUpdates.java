package dev.ingest.plugin.person;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A person's property operations from one event (POSTHOG_SPEC §2.5): {@code $set_once} first (only keys the person
 * lacks; a stored null counts as present), then {@code $set} (keys whose value differs; objects and arrays always
 * count as different), then {@code $unset} (keys present). Pure.
 */
public record PropertyUpdates(ObjectNode set, ObjectNode setOnce, List<String> unset) {
    public static final PropertyUpdates NONE = new PropertyUpdates(JsonNodeFactory.instance.objectNode(),
            JsonNodeFactory.instance.objectNode(), List.of());

    public PropertyUpdates {
        Objects.requireNonNull(set, "set is null");
        Objects.requireNonNull(setOnce, "setOnce is null");
        unset = List.copyOf(unset);
    }

    /** Reads {@code $set}, {@code $set_once} and {@code $unset} (an array of keys, or an object whose keys count). */
    public static PropertyUpdates fromProperties(ObjectNode properties) {
        ObjectNode set = properties.get("$set") instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
        ObjectNode setOnce = properties.get("$set_once") instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
        List<String> unset = new ArrayList<>();
        JsonNode unsetNode = properties.get("$unset");
        if (unsetNode != null && unsetNode.isArray()) {
            unsetNode.forEach(key -> {
                if (key.isString()) {
                    unset.add(key.asString());
                }
            });
        } else if (unsetNode != null && unsetNode.isObject()) {
            unset.addAll(unsetNode.propertyNames());
        }
        return new PropertyUpdates(set, setOnce, unset);
    }

    public boolean isEmpty() {
        return set.isEmpty() && setOnce.isEmpty() && unset.isEmpty();
    }

    /**
     * The properties of a new person: {@code {...$set_once, ...$set}}. {@code $unset} plays no part, as in PostHog's
     * createPerson (POSTHOG_SPEC §2.5 item 5): it only ever removes keys of an existing person.
     */
    public ObjectNode initialProperties() {
        ObjectNode properties = JsonNodeFactory.instance.objectNode();
        properties.setAll(setOnce);
        properties.setAll(set);
        return properties;
    }

    /** Applies the operations to a copy of {@code current}; returns the copy, and whether anything changed. */
    public Applied applyTo(ObjectNode current) {
        ObjectNode updated = current.deepCopy();
        boolean changed = false;
        for (var entry : setOnce.properties()) {
            if (!updated.has(entry.getKey())) {
                updated.set(entry.getKey(), entry.getValue());
                changed = true;
            }
        }
        for (var entry : set.properties()) {
            JsonNode existing = updated.get(entry.getKey());
            if (existing == null || entry.getValue().isContainer() || !existing.equals(entry.getValue())) {
                updated.set(entry.getKey(), entry.getValue());
                changed = true;
            }
        }
        for (String key : unset) {
            if (updated.has(key)) {
                updated.remove(key);
                changed = true;
            }
        }
        return new Applied(updated, changed);
    }

    public record Applied(ObjectNode properties, boolean changed) {}
}
