package dev.ingest.common.event;

import dev.ingest.common.json.JsonBytesWriter;

/**
 * Writes the {@link CapturedEvent} message around an event's own UTF-8 JSON bytes, so capture never turns the event
 * into a Java string or a tree to put it in {@code data}. The output is the JSON {@code Json.writeBytes} makes of the
 * same {@link CapturedEvent} (same fields, same order, nulls left out); {@code CapturedEventWriterTest} holds them
 * equal.
 */
public final class CapturedEventWriter {
    private CapturedEventWriter() {}

    /**
     * The message of {@code envelope} (whose {@code data} is ignored) with {@code data}, the event's JSON as UTF-8,
     * as its {@code data} string.
     */
    public static byte[] write(CapturedEvent envelope, byte[] data) {
        JsonBytesWriter writer = new JsonBytesWriter(data.length + data.length / 8 + 256)
                .string("uuid", envelope.uuid())
                .string("distinct_id", envelope.distinctId())
                .string("ip", envelope.ip())
                .jsonAsString("data", data)
                .string("now", envelope.now())
                .string("sent_at", envelope.sentAt())
                .string("token", envelope.token());
        if (envelope.teamId() != null) {
            writer.number("team_id", envelope.teamId());
        }
        return writer.string("event", envelope.event())
                .bool("is_cookieless_mode", envelope.cookielessMode())
                .bool("historical_migration", envelope.historicalMigration())
                .finish();
    }
}
