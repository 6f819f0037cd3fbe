package dev.ingest.capture.decode;

import dev.ingest.common.json.Json;
import java.time.Instant;
import tools.jackson.databind.node.ObjectNode;

/**
 * One event as capture accepted it.
 *
 * @param data the event object as the SDK sent it, as JSON text, with {@code uuid} filled in and {@code properties}
 *     defaulted to {}
 * @param cookieless whether {@code $cookieless_mode} was true
 * @param timestamp the event's own {@code timestamp} when it is an ISO-8601 instant, else null (for routing only: the
 *     pipeline resolves the event's time)
 */
public record IncomingEvent(String uuid, String distinctId, String event, String data, boolean cookieless,
        Instant timestamp) {

    public IncomingEvent(String uuid, String distinctId, String event, String data, boolean cookieless) {
        this(uuid, distinctId, event, data, cookieless, null);
    }

    /** What this event holds on the heap, an upper estimate: its strings (two bytes a character) and the record. */
    public long retainedBytes() {
        return 2L * (data.length() + uuid.length() + distinctId.length() + event.length()) + 200;
    }

    /** The event as a tree (tests). */
    public ObjectNode raw() {
        return (ObjectNode) Json.read(data);
    }
}
