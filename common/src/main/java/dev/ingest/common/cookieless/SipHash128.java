package dev.ingest.common.cookieless;

/**
 * SipHash-2-4 with its 128-bit output (Aumasson and Bernstein; the reference {@code siphash.c} with
 * {@code outlen == 16}), the function PostHog derives cookieless identities with.
 */
final class SipHash128 {
    private SipHash128() {}

    /** The two 64-bit halves of the output, {@code [h1, h2]}, for keys {@code k0}, {@code k1}. */
    static long[] hash(long k0, long k1, byte[] message) {
        long v0 = 0x736f6d6570736575L ^ k0;
        long v1 = 0x646f72616e646f6dL ^ k1 ^ 0xee;
        long v2 = 0x6c7967656e657261L ^ k0;
        long v3 = 0x7465646279746573L ^ k1;
        int length = message.length;
        int end = length - (length % 8);
        long[] v = {v0, v1, v2, v3};
        for (int i = 0; i < end; i += 8) {
            long m = littleEndian(message, i, 8);
            v[3] ^= m;
            round(v);
            round(v);
            v[0] ^= m;
        }
        long last = ((long) length & 0xff) << 56;
        last |= littleEndian(message, end, length - end);
        v[3] ^= last;
        round(v);
        round(v);
        v[0] ^= last;
        v[2] ^= 0xee;
        for (int i = 0; i < 4; i++) {
            round(v);
        }
        long h1 = v[0] ^ v[1] ^ v[2] ^ v[3];
        v[1] ^= 0xdd;
        for (int i = 0; i < 4; i++) {
            round(v);
        }
        long h2 = v[0] ^ v[1] ^ v[2] ^ v[3];
        return new long[] {h1, h2};
    }

    static long littleEndian(byte[] bytes, int offset, int count) {
        long value = 0;
        for (int i = 0; i < count; i++) {
            value |= (bytes[offset + i] & 0xffL) << (8 * i);
        }
        return value;
    }

    private static void round(long[] v) {
        v[0] += v[1];
        v[1] = Long.rotateLeft(v[1], 13);
        v[1] ^= v[0];
        v[0] = Long.rotateLeft(v[0], 32);
        v[2] += v[3];
        v[3] = Long.rotateLeft(v[3], 16);
        v[3] ^= v[2];
        v[0] += v[3];
        v[3] = Long.rotateLeft(v[3], 21);
        v[3] ^= v[0];
        v[2] += v[1];
        v[1] = Long.rotateLeft(v[1], 17);
        v[1] ^= v[2];
        v[2] = Long.rotateLeft(v[2], 32);
    }
}
