package dev.ingest.capture.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import blazing.chain.LZSEncoding;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The bounded lz-string decoder, checked against the lz-string library it replaces for decoding. */
class LzStringTest {
    private static final long NO_CAP = Integer.MAX_VALUE;

    @Test
    void decodesTheEmojiVectorAsTheLibraryDoes() {
        String expected = LZSEncoding.decompressFromBase64(PayloadDecoderTest.LZ64_EMOJI_BATCH);

        String decoded = LzString.decompressFromBase64(PayloadDecoderTest.LZ64_EMOJI_BATCH, NO_CAP);

        assertThat(decoded).isEqualTo(expected).contains("\"\uD83E\uDD13\"");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 10, 100, 1000, 20_000})
    void roundTripsRandomTextCompressedByTheLibrary(int length) {
        Random random = new Random(length);
        for (int round = 0; round < 20; round++) {
            StringBuilder text = new StringBuilder();
            while (text.length() < length) {
                switch (random.nextInt(4)) {
                    case 0 -> text.append((char) ('a' + random.nextInt(3)));
                    case 1 -> text.append((char) (32 + random.nextInt(95)));
                    case 2 -> text.append((char) (0x100 + random.nextInt(0xD000)));
                    default -> text.appendCodePoint(0x1F600 + random.nextInt(80));
                }
            }
            String compressed = LZSEncoding.compressToBase64(text.toString());

            assertThat(LzString.decompressFromBase64(compressed, NO_CAP)).isEqualTo(text.toString());
        }
    }

    @Test
    void decodesLongRunsAsTheLibraryDoes() {
        String run = "a".repeat(100_000) + "b".repeat(3) + "a".repeat(5000);

        assertThat(LzString.decompressFromBase64(LZSEncoding.compressToBase64(run), NO_CAP)).isEqualTo(run);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 5, 100, 2000})
    void decodesTheBombGeneratorAsTheLibraryDoes(int codes) {
        String bomb = TestRequests.lz64Bomb(codes);

        String decoded = LzString.decompressFromBase64(bomb, NO_CAP);

        assertThat(decoded).isEqualTo(LZSEncoding.decompressFromBase64(bomb));
        assertThat(decoded).hasSize((int) TestRequests.lz64BombLength(codes)).matches("a+");
    }

    @Test
    void acceptsOutputOfExactlyTheCap() {
        long length = TestRequests.lz64BombLength(100);

        assertThat(LzString.decompressFromBase64(TestRequests.lz64Bomb(100), length)).hasSize((int) length);
    }

    @Test
    void stopsOneCharacterOverTheCap() {
        long length = TestRequests.lz64BombLength(100);

        assertThatThrownBy(() -> LzString.decompressFromBase64(TestRequests.lz64Bomb(100), length - 1))
                .isInstanceOf(LzString.TooLargeException.class);
    }

    @Test
    void stopsAQuadraticBombEarly() {
        String bomb = TestRequests.lz64Bomb(100_000);

        assertThatThrownBy(() -> LzString.decompressFromBase64(bomb, 1 << 20))
                .isInstanceOf(LzString.TooLargeException.class);
    }

    @Test
    void returnsNullForEmptyInput() {
        assertThat(LzString.decompressFromBase64("", NO_CAP)).isNull();
    }

    @Test
    void returnsEmptyForInputWithoutEndMarker() {
        String compressed = LZSEncoding.compressToBase64("{\"event\":\"a fairly long event name\"}");

        assertThat(LzString.decompressFromBase64(compressed.substring(0, compressed.length() / 2), NO_CAP)).isEmpty();
    }

    @Test
    void returnsNullForCodeBeyondTheDictionary() {
        // A literal 'a' is entry 3; code 4 would be "aa" (the entry being built); 5 names nothing yet.
        String valid = TestRequests.lz64LiteralThenCodes(3, 4);
        assertThat(LzString.decompressFromBase64(valid, NO_CAP)).isEqualTo("aaaa")
                .isEqualTo(LZSEncoding.decompressFromBase64(valid));
        assertThat(LzString.decompressFromBase64(TestRequests.lz64LiteralThenCodes(6), NO_CAP)).isNull();
    }

    @Test
    void neverThrowsAnythingButTooLargeOnGarbage() {
        Random random = new Random(7);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= !\u00e9";
        for (int round = 0; round < 2000; round++) {
            StringBuilder text = new StringBuilder();
            int length = 1 + random.nextInt(300);
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                LzString.decompressFromBase64(text.toString(), 1 << 20);
            } catch (LzString.TooLargeException expected) {
                // a garbage text may well be a bomb
            }
        }
    }
}
