package dev.ingest.plugin.person;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A person's property operations from one event (docs/posthog-compatibility.md#person-properties): {@code $set_once}
 * first (only keys the person lacks; a stored null counts as present), then {@code $set} (keys whose value differs;
 * objects and arrays always count as different), then {@code $unset} (keys present). Pure.
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
     * createPerson (docs/posthog-compatibility.md#person-properties): it only ever removes keys of an existing person.
     */
    public ObjectNode initialProperties() {
        ObjectNode properties = JsonNodeFactory.instance.objectNode();
        properties.setAll(setOnce);
        properties.setAll(set);
        return properties;
    }

    /**
     * Applies the operations to a copy of {@code current}, made at the first change; returns the copy and true, or
     * {@code current} itself and false when nothing changed (the usual pageview: the same browser properties again).
     */
    public Applied applyTo(ObjectNode current) {
        ObjectNode updated = null;
        for (var entry : setOnce.properties()) {
            if (!(updated == null ? current : updated).has(entry.getKey())) {
                updated = updated == null ? current.deepCopy() : updated;
                updated.set(entry.getKey(), entry.getValue());
            }
        }
        for (var entry : set.properties()) {
            JsonNode existing = (updated == null ? current : updated).get(entry.getKey());
            if (existing == null || entry.getValue().isContainer() || !existing.equals(entry.getValue())) {
                updated = updated == null ? current.deepCopy() : updated;
                updated.set(entry.getKey(), entry.getValue());
            }
        }
        for (String key : unset) {
            if ((updated == null ? current : updated).has(key)) {
                updated = updated == null ? current.deepCopy() : updated;
                updated.remove(key);
            }
        }
        return updated == null ? new Applied(current, false) : new Applied(updated, true);
    }

    /** The properties after the operations ({@code current} itself when nothing changed), and whether they did. */
    public record Applied(ObjectNode properties, boolean changed) {}
}
