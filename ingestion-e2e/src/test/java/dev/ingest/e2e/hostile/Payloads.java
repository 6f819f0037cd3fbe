package dev.ingest.e2e.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** Byte-level building blocks of hostile bodies: broken compression, broken UTF-8, nesting, sheer size. */
public final class Payloads {
    private static byte[] bomb;

    private Payloads() {}

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The first half of a valid gzip stream: the magic bytes are right, the data ends early. */
    public static byte[] truncatedGzip(byte[] bytes) {
        byte[] gzip = gzip(bytes);
        return Arrays.copyOf(gzip, gzip.length / 2);
    }

    /** A gzip stream whose deflate data and trailer are flipped after the header. */
    public static byte[] corruptGzip(byte[] bytes) {
        byte[] gzip = gzip(bytes);
        for (int i = 12; i < gzip.length; i += 3) {
            gzip[i] ^= (byte) 0x5a;
        }
        return gzip;
    }

    /**
     * 256 MiB of zeros gzipped into about 250 KB: small enough for every body limit, far over every decompressed
     * limit. Built once per JVM.
     */
    public static synchronized byte[] gzipBomb() {
        if (bomb == null) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(out, 1 << 16) {
                {
                    def.setLevel(Deflater.BEST_COMPRESSION);
                }
            }) {
                byte[] zeros = new byte[1 << 20];
                for (int i = 0; i < 256; i++) {
                    gzip.write(zeros);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            bomb = out.toByteArray();
        }
        return bomb;
    }

    /** {@code prefix + invalid + suffix}, the invalid bytes landing inside a JSON string. */
    public static byte[] withRawBytes(String prefix, byte[] raw, String suffix) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8(prefix));
        out.writeBytes(raw);
        out.writeBytes(utf8(suffix));
        return out.toByteArray();
    }

    /** {@code depth} nested arrays, e.g. {@code [[[]]]} for 3. */
    public static String nestedArrays(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    /** {@code depth} nested objects, e.g. {@code {"a":{"a":{}}}} for 3. */
    public static String nestedObjects(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }

    public static String repeat(char c, int count) {
        return String.valueOf(c).repeat(count);
    }

    /** Random bytes from a fixed seed, so every run sends the same garbage. */
    public static byte[] garbage(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
