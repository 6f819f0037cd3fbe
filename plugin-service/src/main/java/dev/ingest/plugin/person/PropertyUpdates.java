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
 *
 * <p>Whether a change is worth a write follows PostHog's batch rule (docs/posthog-compatibility.md#lean-person-writes):
 * a change is always written when it adds a key, removes one, changes a key outside
 * {@link PersonPropertyKeys#FILTERED_UPDATES}, or comes from a person event ({@code force}); a {@code $set} whose every
 * change is to an existing frequently-changing key ({@code $current_url}, viewport, most {@code $geoip_*}) is not.
 *
 * @param force whether every change is written (the event is about the person: {@code $identify}, {@code $set}, ...)
 */
public record PropertyUpdates(ObjectNode set, ObjectNode setOnce, List<String> unset, boolean force) {
    public static final PropertyUpdates NONE = new PropertyUpdates(JsonNodeFactory.instance.objectNode(),
            JsonNodeFactory.instance.objectNode(), List.of(), false);

    public PropertyUpdates {
        Objects.requireNonNull(set, "set is null");
        Objects.requireNonNull(setOnce, "setOnce is null");
        unset = List.copyOf(unset);
    }

    /**
     * The operations of an event: none for events that never change person properties
     * ({@link PersonPropertyKeys#NO_PERSON_UPDATE_EVENTS}), every change written for person events.
     */
    public static PropertyUpdates of(String eventName, ObjectNode properties) {
        if (PersonPropertyKeys.NO_PERSON_UPDATE_EVENTS.contains(eventName)) {
            return NONE;
        }
        PropertyUpdates updates = fromProperties(properties);
        return PersonPropertyKeys.PERSON_EVENTS.contains(eventName)
                ? new PropertyUpdates(updates.set, updates.setOnce, updates.unset, true) : updates;
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
        return new PropertyUpdates(set, setOnce, unset, false);
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
     * Applies the operations to a copy of {@code current}, made at the first change; returns the copy, or
     * {@code current} itself when nothing changed (the usual pageview: the same browser properties again), and whether
     * the changes are worth a write.
     */
    public Applied applyTo(ObjectNode current) {
        ObjectNode updated = null;
        boolean worthWriting = false;
        for (var entry : setOnce.properties()) {
            String key = entry.getKey();
            // A key the event also $sets ends with that value: it counts as the $set's change.
            if (!set.has(key) && !(updated == null ? current : updated).has(key)) {
                updated = updated == null ? current.deepCopy() : updated;
                updated.set(key, entry.getValue());
                worthWriting |= force || !PersonPropertyKeys.FILTERED_UPDATES.contains(key);
            }
        }
        for (var entry : set.properties()) {
            String key = entry.getKey();
            JsonNode existing = (updated == null ? current : updated).get(key);
            if (existing == null || entry.getValue().isContainer() || !existing.equals(entry.getValue())) {
                updated = updated == null ? current.deepCopy() : updated;
                updated.set(key, entry.getValue());
                worthWriting |= !current.has(key) || force || !PersonPropertyKeys.FILTERED_UPDATES.contains(key);
            }
        }
        for (String key : unset) {
            if ((updated == null ? current : updated).has(key)) {
                updated = updated == null ? current.deepCopy() : updated;
                updated.remove(key);
                worthWriting = true;
            }
        }
        return updated == null ? new Applied(current, false, false) : new Applied(updated, true, worthWriting);
    }

    /**
     * The properties after the operations ({@code current} itself when nothing changed), whether they changed, and
     * whether the change deserves a write on its own ({@code changed && !worthWriting}: only frequently changing keys
     * moved, which the next write carries along).
     */
    public record Applied(ObjectNode properties, boolean changed, boolean worthWriting) {}
}
