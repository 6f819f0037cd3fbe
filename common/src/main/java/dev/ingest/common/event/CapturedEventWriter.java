package dev.ingest.common.event;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * Writes the {@link CapturedEvent} message around an event's own UTF-8 JSON bytes, so capture never turns the event
 * into a Java string or a tree to put it in {@code data}. The output is the JSON {@code Json.writeBytes} makes of the
 * same {@link CapturedEvent} (same fields, same order, nulls left out); {@code CapturedEventWriterTest} holds them
 * equal.
 */
public final class CapturedEventWriter {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private byte[] out;
    private int size;

    private CapturedEventWriter(int capacity) {
        this.out = new byte[capacity];
    }

    /**
     * The message of {@code envelope} (whose {@code data} is ignored) with {@code data}, the event's JSON as UTF-8,
     * as its {@code data} string.
     */
    public static byte[] write(CapturedEvent envelope, byte[] data) {
        CapturedEventWriter writer = new CapturedEventWriter(data.length + data.length / 8 + 256);
        writer.ascii("{");
        writer.field("uuid", envelope.uuid(), true);
        writer.field("distinct_id", envelope.distinctId(), false);
        writer.field("ip", envelope.ip(), false);
        writer.key("data", false);
        writer.escapedUtf8(data);
        writer.field("now", envelope.now(), false);
        writer.field("sent_at", envelope.sentAt(), false);
        writer.field("token", envelope.token(), false);
        if (envelope.teamId() != null) {
            writer.key("team_id", false);
            writer.ascii(Long.toString(envelope.teamId()));
        }
        writer.field("event", envelope.event(), false);
        writer.bool("is_cookieless_mode", envelope.cookielessMode());
        writer.bool("historical_migration", envelope.historicalMigration());
        writer.ascii("}");
        return Arrays.copyOf(writer.out, writer.size);
    }

    private void field(String name, String value, boolean first) {
        if (value != null) {
            key(name, first);
            ascii("\"");
            bytes(JsonStringEncoder.getInstance().quoteAsUTF8(value));
            ascii("\"");
        }
    }

    private void bool(String name, Boolean value) {
        if (value != null) {
            key(name, false);
            ascii(value ? "true" : "false");
        }
    }

    /** Writes {@code ,"name":} (no comma for the first field). */
    private void key(String name, boolean first) {
        ascii(first ? "\"" : ",\"");
        ascii(name);
        ascii("\":");
    }

    /** JSON text as the body of a JSON string: quotes, backslashes and control bytes escaped, the rest as it is. */
    private void escapedUtf8(byte[] data) {
        ascii("\"");
        int run = 0;
        for (int i = 0; i < data.length; i++) {
            int b = data[i] & 0xFF;
            if (b >= 0x20 && b != '"' && b != '\\') {
                continue;
            }
            append(data, run, i - run);
            run = i + 1;
            switch (b) {
                case '"' -> ascii("\\\"");
                case '\\' -> ascii("\\\\");
                case '\n' -> ascii("\\n");
                case '\r' -> ascii("\\r");
                case '\t' -> ascii("\\t");
                default -> {
                    ensure(6);
                    out[size++] = '\\';
                    out[size++] = 'u';
                    out[size++] = '0';
                    out[size++] = '0';
                    out[size++] = HEX[b >> 4];
                    out[size++] = HEX[b & 0xF];
                }
            }
        }
        append(data, run, data.length - run);
        ascii("\"");
    }

    private void ascii(String text) {
        ensure(text.length());
        for (int i = 0; i < text.length(); i++) {
            out[size++] = (byte) text.charAt(i);
        }
    }

    private void bytes(byte[] bytes) {
        append(bytes, 0, bytes.length);
    }

    private void append(byte[] bytes, int offset, int length) {
        ensure(length);
        System.arraycopy(bytes, offset, out, size, length);
        size += length;
    }

    private void ensure(int more) {
        if (size + more > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, size + more));
        }
    }
}
