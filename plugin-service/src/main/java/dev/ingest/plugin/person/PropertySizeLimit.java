package dev.ingest.plugin.person;

import dev.ingest.common.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import tools.jackson.databind.node.ObjectNode;

/**
 * PostHog's person property size guard (docs/posthog-compatibility.md#person-property-size): a person's properties may
 * not grow past {@value #MAX_BYTES} bytes. An update that would cross it is refused and the person stays as it was; a
 * person already past it (written before the limit, or by other means) is trimmed to {@value #TRIM_TARGET_BYTES} bytes
 * by dropping keys in name order, never those of {@link PersonPropertyKeys#NEVER_TRIMMED} nor
 * {@code $creator_event_uuid}. Either way the event is
 * stored and the project gets a {@code person_properties_size_violation} warning. Pure.
 */
public final class PropertySizeLimit {
    /** PostHog's limit (their database constraint on the properties column). */
    public static final int MAX_BYTES = 655_360;
    /** What a remedy trims an oversized person down to. */
    public static final int TRIM_TARGET_BYTES = 512 * 1024;

    /**
     * The properties to keep, and why they are not the proposed ones (null when they are).
     *
     * @param trimmed whether keys were dropped (true) or the update was refused (false); meaningless without a problem
     */
    public record Verdict(ObjectNode properties, String problem, boolean trimmed) {
        public boolean allowed() {
            return problem == null;
        }
    }

    /** Kept too: which event created the person. */
    private static final String CREATOR_EVENT = "$creator_event_uuid";

    private PropertySizeLimit() {}

    /**
     * @param current the person's properties before the event, or null for a new person
     * @param proposed the properties after the event
     * @param json the JSON text of properties as they would be written
     */
    public static Verdict check(ObjectNode current, ObjectNode proposed, Function<ObjectNode, String> json) {
        if (utf8Length(json.apply(proposed)) <= MAX_BYTES) {
            return new Verdict(proposed, null, false);
        }
        if (current == null) {
            // PostHog refuses to create such a person; here it is created trimmed, so that its distinct id resolves.
            return new Verdict(trim(proposed, TRIM_TARGET_BYTES), "Person properties exceed the size limit and were trimmed",
                    true);
        }
        if (utf8Length(json.apply(current)) >= MAX_BYTES) {
            return new Verdict(trim(current, TRIM_TARGET_BYTES), "Person properties exceed the size limit and were trimmed",
                    true);
        }
        return new Verdict(current, "Person properties exceeds size limit and was rejected", false);
    }

    /** Drops keys in name order (never protected ones) until the JSON text is at most {@code targetBytes}. */
    static ObjectNode trim(ObjectNode properties, int targetBytes) {
        ObjectNode trimmed = properties.deepCopy();
        long size = utf8Length(Json.write(trimmed));
        List<String> keys = new ArrayList<>(trimmed.propertyNames());
        keys.sort(null);
        for (String key : keys) {
            if (size <= targetBytes) {
                break;
            }
            if (PersonPropertyKeys.NEVER_TRIMMED.contains(key) || CREATOR_EVENT.equals(key)) {
                continue;
            }
            // The key's and the value's JSON text, a colon and a comma.
            size -= utf8Length(Json.write(key)) + utf8Length(Json.write(trimmed.get(key))) + 2;
            trimmed.remove(key);
        }
        return trimmed;
    }

    /** The UTF-8 length of a string, without encoding it. */
    static long utf8Length(String text) {
        long length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length += 1;
            } else if (c < 0x800) {
                length += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                length += 4;
                i++;
            } else {
                length += 3;
            }
        }
        return length;
    }
}
