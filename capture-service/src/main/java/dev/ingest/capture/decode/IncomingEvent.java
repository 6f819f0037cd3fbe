package dev.ingest.capture.decode;

import dev.ingest.common.json.Json;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import tools.jackson.databind.node.ObjectNode;

/**
 * One event as capture accepted it.
 *
 * @param data the event object as the SDK sent it, as UTF-8 JSON: its own bytes when it needed no change, else its
 *     tree written out again (with {@code uuid} filled in, {@code properties} defaulted to {}, non-finite numbers
 *     as null)
 * @param cookieless whether {@code $cookieless_mode} was true
 * @param rawTimestamp the event's own {@code timestamp} when it is a string, else null (for routing only: the
 *     pipeline resolves the event's time; read with {@link #timestamp()} only when routing needs it)
 */
public record IncomingEvent(String uuid, String distinctId, String event, byte[] data, boolean cookieless,
        String rawTimestamp) {

    /** The event's {@code timestamp} as an instant when it is ISO-8601 with an offset ({@code Z} included), else null. */
    public Instant timestamp() {
        if (rawTimestamp == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(rawTimestamp).toInstant();
        } catch (DateTimeException notAnInstant) {
            return null;
        }
    }

    /** What this event holds on the heap, an upper estimate: its bytes, its strings (two bytes a character), the record. */
    public long retainedBytes() {
        return data.length + 2L * (uuid.length() + distinctId.length() + event.length()
                + (rawTimestamp == null ? 0 : rawTimestamp.length())) + 200;
    }

    /** The event as a tree (tests). */
    public ObjectNode raw() {
        return Json.read(data, ObjectNode.class);
    }
}
