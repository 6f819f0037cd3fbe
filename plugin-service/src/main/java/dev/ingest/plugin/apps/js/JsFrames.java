package dev.ingest.plugin.apps.js;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The wire between plugin-service and a JavaScript worker process, over the worker's stdin and stdout: a frame is an
 * int code then three strings, each an int length and that many UTF-8 bytes (length -1 for null). One request, then
 * its answer, at a time.
 * <ul>
 * <li>Requests: {@code LOAD(config JSON)}, {@code CALL(hook name, event JSON, meta JSON)}.</li>
 * <li>Answers: {@code OK(value)} (the hooks, comma-separated, for LOAD; the result JSON, or null, for CALL) or
 * {@code ERROR(message, kind)} with a {@code JsAppException.Kind} name.</li>
 * </ul>
 */
record JsFrames(int code, String a, String b, String c) {
    static final int LOAD = 1;
    static final int CALL = 2;
    static final int OK = 10;
    static final int ERROR = 11;
    /** The largest string a frame may carry (the JS limits keep events and results far below it). */
    static final int MAX_STRING = 64 * 1024 * 1024;

    static void write(DataOutputStream out, int code, String a, String b, String c) throws IOException {
        out.writeInt(code);
        writeString(out, a);
        writeString(out, b);
        writeString(out, c);
        out.flush();
    }

    /** The next frame, or null at the end of the stream. */
    static JsFrames read(DataInputStream in) throws IOException {
        int code;
        try {
            code = in.readInt();
        } catch (EOFException e) {
            return null;
        }
        return new JsFrames(code, readString(in), readString(in), readString(in));
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length == -1) {
            return null;
        }
        if (length < 0 || length > MAX_STRING) {
            throw new IOException("a frame string of " + length + " bytes");
        }
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
