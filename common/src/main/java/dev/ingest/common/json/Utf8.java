package dev.ingest.common.json;

/**
 * Strict UTF-8 validation (RFC 3629), for request bodies parsed straight from bytes: Jackson's byte parser decodes an
 * overlong two-byte sequence such as {@code C0 AF} to '/' instead of refusing it, and JSON text must be UTF-8. Refuses
 * overlong forms, surrogates (ED A0..BF), code points above U+10FFFF, stray and missing continuation bytes. ASCII,
 * the common case, costs one comparison per byte.
 */
public final class Utf8 {
    private Utf8() {}

    public static boolean isValid(byte[] bytes) {
        int i = 0;
        int n = bytes.length;
        while (i < n) {
            int b = bytes[i] & 0xff;
            if (b < 0x80) {
                i++;
                continue;
            }
            int length;
            int min2 = 0x80;
            int max2 = 0xbf;
            if (b >= 0xc2 && b <= 0xdf) {
                length = 2;
            } else if (b >= 0xe0 && b <= 0xef) {
                length = 3;
                if (b == 0xe0) {
                    min2 = 0xa0; // overlong below U+0800
                } else if (b == 0xed) {
                    max2 = 0x9f; // UTF-16 surrogates
                }
            } else if (b >= 0xf0 && b <= 0xf4) {
                length = 4;
                if (b == 0xf0) {
                    min2 = 0x90; // overlong below U+10000
                } else if (b == 0xf4) {
                    max2 = 0x8f; // above U+10FFFF
                }
            } else {
                return false; // C0, C1 (overlong), F5..FF, or a continuation byte without a lead
            }
            if (i + length > n) {
                return false;
            }
            int second = bytes[i + 1] & 0xff;
            if (second < min2 || second > max2) {
                return false;
            }
            for (int k = 2; k < length; k++) {
                int next = bytes[i + k] & 0xff;
                if (next < 0x80 || next > 0xbf) {
                    return false;
                }
            }
            i += length;
        }
        return true;
    }
}
