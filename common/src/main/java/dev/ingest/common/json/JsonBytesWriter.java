package dev.ingest.common.json;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * Writes one flat JSON object to UTF-8 bytes field by field, escaping strings exactly as Jackson's generator does.
 * Its reason to exist is {@link #jsonAsString}: a JSON document (an event, its properties) carried as a string value,
 * escaped from its UTF-8 bytes in one tight loop instead of becoming a Java string that a generator escapes char by
 * char. Capture's message ({@code CapturedEventWriter}) and the plugin's event row are written with it.
 */
public final class JsonBytesWriter {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    /** U+FFFD in UTF-8: what a lone surrogate becomes (ClickHouse takes only valid UTF-8). */
    private static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};

    private byte[] out;
    private int size;
    private boolean first = true;

    public JsonBytesWriter(int capacity) {
        this.out = new byte[Math.max(capacity, 16)];
        out[size++] = '{';
    }

    /** {@code "name":"value"}; nothing when {@code value} is null. */
    public JsonBytesWriter string(String name, String value) {
        if (value != null) {
            name(name);
            out('"');
            append(JsonStringEncoder.getInstance().quoteAsUTF8(value));
            out('"');
        }
        return this;
    }

    /** {@code "name":"<quoted>"}: a string value already escaped (the output of {@link JsonStringEncoder#quoteAsUTF8}). */
    public JsonBytesWriter quoted(String name, byte[] quotedUtf8) {
        name(name);
        out('"');
        append(quotedUtf8);
        out('"');
        return this;
    }

    public JsonBytesWriter number(String name, long value) {
        name(name);
        ascii(Long.toString(value));
        return this;
    }

    /** {@code "name":true|false}; nothing when {@code value} is null. */
    public JsonBytesWriter bool(String name, Boolean value) {
        if (value != null) {
            name(name);
            ascii(value ? "true" : "false");
        }
        return this;
    }

    /**
     * {@code "name":"<json escaped>"}: JSON text (UTF-8) as the body of a JSON string, quotes, backslashes and control
     * bytes escaped, the rest copied as it is. For a document as a client sent it (capture's {@code data}): its escapes,
     * {@code \\ud83d\\ude00} included, stay what they were.
     */
    public JsonBytesWriter jsonAsString(String name, byte[] json) {
        return document(name, json, false);
    }

    /**
     * {@link #jsonAsString} for a document Jackson just wrote from a tree, with every lone surrogate made U+FFFD (as
     * {@code ClickHouseRows.text} makes it of a Java string), so ClickHouse never meets one. Jackson writes a valid
     * pair as its four UTF-8 bytes and a lone surrogate as the escape {@code \\uD800}; an escaped pair is kept.
     */
    public JsonBytesWriter generatedJsonAsString(String name, byte[] json) {
        return document(name, json, true);
    }

    private JsonBytesWriter document(String name, byte[] json, boolean repairSurrogates) {
        name(name);
        out('"');
        int run = 0;
        for (int i = 0; i < json.length; i++) {
            int b = json[i] & 0xFF;
            if (b >= 0x20 && b != '"' && b != '\\') {
                continue;
            }
            append(json, run, i - run);
            run = i + 1;
            if (!repairSurrogates || b != '\\' || i + 1 >= json.length) {
                escape(b);
                continue;
            }
            // An escape of the document, copied with its backslash escaped and the escaped character taken with it
            // (so \\\\ stays two characters); a lone surrogate's escape becomes U+FFFD.
            int surrogate = escapedSurrogate(json, i);
            if (surrogate >= 0) {
                boolean paired = surrogate < 0xDC00 ? escapedSurrogate(json, i + 6) >= 0xDC00
                        : i >= 6 && escapedSurrogate(json, i - 6) >= 0xD800 && escapedSurrogate(json, i - 6) < 0xDC00;
                if (paired) {
                    ascii("\\\\");
                } else {
                    append(REPLACEMENT, 0, REPLACEMENT.length);
                    i += 5;
                    run = i + 1;
                }
                continue;
            }
            ascii("\\\\");
            int next = json[i + 1] & 0xFF;
            if (next == '\\' || next == '"') {
                ascii(next == '"' ? "\\\"" : "\\\\");
                i++;
                run = i + 1;
            }
        }
        append(json, run, json.length - run);
        out('"');
        return this;
    }

    /** A byte of JSON text that must be escaped in a string: a quote, a backslash, a control byte. */
    private void escape(int b) {
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

    /** The surrogate {@code json[at]} starts as an escape ({@code \\uD800}-{@code \\uDFFF}, either case), or -1. */
    private static int escapedSurrogate(byte[] json, int at) {
        if (at < 0 || at + 5 >= json.length || json[at] != '\\' || json[at + 1] != 'u') {
            return -1;
        }
        int value = 0;
        for (int k = 2; k < 6; k++) {
            int digit = Character.digit(json[at + k], 16);
            if (digit < 0) {
                return -1;
            }
            value = value * 16 + digit;
        }
        return value >= 0xD800 && value <= 0xDFFF ? value : -1;
    }

    /** Closes the object and returns its bytes. */
    public byte[] finish() {
        out('}');
        return Arrays.copyOf(out, size);
    }

    private void name(String name) {
        if (!first) {
            out(',');
        }
        first = false;
        out('"');
        append(JsonStringEncoder.getInstance().quoteAsUTF8(name));
        ascii("\":");
    }

    private void out(char c) {
        ensure(1);
        out[size++] = (byte) c;
    }

    private void ascii(String text) {
        ensure(text.length());
        for (int i = 0; i < text.length(); i++) {
            out[size++] = (byte) text.charAt(i);
        }
    }

    private void append(byte[] bytes) {
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
