package dev.ingest.capture.decode;

import java.util.ArrayList;
import java.util.List;

/**
 * lz-string's {@code decompressFromBase64} (what posthog-js's {@code compression=lz64} needs) with a cap on the output.
 *
 * <p>lz-string is LZW: each code can name an entry one character longer than the last, so k codes may expand to
 * k²/2 characters. A 45 KB body inflates to 200 million characters and a 260 KB one exhausts the heap; the library
 * decompressors have no limit, so decoding stops here as soon as the output passes {@code maxChars}.
 */
final class LzString {
    private static final String BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
    private static final int[] BASE64_VALUES = new int[128];

    static {
        for (int i = 0; i < BASE64.length(); i++) {
            BASE64_VALUES[BASE64.charAt(i)] = i;
        }
    }

    /** Thrown when the output would pass the cap. */
    static final class TooLargeException extends RuntimeException {
        TooLargeException() {
            super(null, null, false, false);
        }
    }

    private LzString() {}

    /**
     * Returns the decompressed text, "" when the input ends without an end marker (as lz-string does), or null when
     * the input names a dictionary entry that does not exist.
     *
     * @throws TooLargeException when the output would be longer than {@code maxChars}
     */
    static String decompressFromBase64(String input, long maxChars) {
        if (input.isEmpty()) {
            return null;
        }
        Bits bits = new Bits(input);
        List<String> dictionary = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            dictionary.add("");
        }
        int enlargeIn = 4;
        int numBits = 3;
        String first = switch (bits.read(2)) {
            case 0 -> String.valueOf((char) bits.read(8));
            case 1 -> String.valueOf((char) bits.read(16));
            default -> null;
        };
        if (first == null) {
            return "";
        }
        dictionary.add(first);
        String w = first;
        StringBuilder result = new StringBuilder(first);
        while (true) {
            if (bits.exhausted()) {
                return "";
            }
            int c = bits.read(numBits);
            if (c == 0 || c == 1) {
                dictionary.add(String.valueOf((char) bits.read(c == 0 ? 8 : 16)));
                c = dictionary.size() - 1;
                enlargeIn--;
            } else if (c == 2) {
                return result.toString();
            }
            if (enlargeIn == 0) {
                enlargeIn = 1 << numBits;
                numBits++;
            }
            String entry;
            if (c < dictionary.size()) {
                entry = dictionary.get(c);
            } else if (c == dictionary.size()) {
                entry = w + w.charAt(0);
            } else {
                return null;
            }
            if (result.length() + (long) entry.length() > maxChars) {
                throw new TooLargeException();
            }
            result.append(entry);
            dictionary.add(w + entry.charAt(0));
            enlargeIn--;
            w = entry;
            if (enlargeIn == 0) {
                enlargeIn = 1 << numBits;
                numBits++;
            }
        }
    }

    /** Reads the base64 text 6 bits a character, most significant bit first; values are read low bit first. */
    private static final class Bits {
        private final String input;
        private int value;
        private int position = 32;
        private int index = 1;

        Bits(String input) {
            this.input = input;
            this.value = valueAt(0);
        }

        boolean exhausted() {
            return index > input.length();
        }

        int read(int count) {
            int bits = 0;
            for (int power = 0; power < count; power++) {
                int bit = value & position;
                position >>= 1;
                if (position == 0) {
                    position = 32;
                    value = valueAt(index++);
                }
                if (bit != 0) {
                    bits |= 1 << power;
                }
            }
            return bits;
        }

        private int valueAt(int i) {
            if (i >= input.length()) {
                return 0;
            }
            char ch = input.charAt(i);
            return ch < 128 ? BASE64_VALUES[ch] : 0;
        }
    }
}
