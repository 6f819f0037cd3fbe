package dev.ingest.capture.decode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.ingest.capture.error.CaptureException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.zip.GZIPOutputStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Test data for the capture decoders: a request builder, a fixed clock, gzip, and a CaptureException catcher. */
final class TestRequests {
    static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final long DEFAULT_LIMIT = 20L * 1024 * 1024;

    private TestRequests() {}

    static Builder post(String path) {
        return new Builder("POST", path);
    }

    static Builder get(String path) {
        return new Builder("GET", path);
    }

    /** Decodes and extracts with default limits and the fixed clock, as CaptureService does. */
    static CaptureBatch capture(CaptureRequest request) {
        return capture(request, DEFAULT_LIMIT);
    }

    static CaptureBatch capture(CaptureRequest request, long maxDecompressedBytes) {
        DecodedPayload payload = new PayloadDecoder(new Limits(maxDecompressedBytes)).decode(request);
        return ScanAgreement.extract(payload, request);
    }

    /** A JSON body POSTed to /e/, the commonest request. */
    static CaptureBatch captureJson(String json) {
        return capture(post("/e/").json(json).build());
    }

    /** Runs the call and returns the CaptureException it threw; fails on any other outcome. */
    static CaptureException failure(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("the call must fail with a CaptureException").isInstanceOf(CaptureException.class);
        return (CaptureException) thrown;
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * An lz-string ({@code compressToBase64}) text that inflates quadratically: one literal 'a', then the codes 4, 5,
     * 6 ... each naming the previous entry plus one more 'a', so {@code codes} codes give {@link #lz64BombLength}
     * characters. It is exactly what lz-string writes for a long run of 'a', without materialising that run.
     */
    static String lz64Bomb(int codes) {
        int[] sequence = new int[codes];
        for (int k = 0; k < codes; k++) {
            sequence[k] = 4 + k;
        }
        return lz64LiteralThenCodes(sequence);
    }

    /** lz-string base64 of a literal 'a' (dictionary entry 3) followed by the given dictionary codes and the end. */
    static String lz64LiteralThenCodes(int... codes) {
        LzBits out = new LzBits();
        int numBits = 2;
        int enlargeIn = 2;
        out.write(0, numBits);
        out.write('a', 8);
        for (int step = 0; step < 2; step++) {
            if (--enlargeIn == 0) {
                enlargeIn = 1 << numBits;
                numBits++;
            }
        }
        for (int code : codes) {
            out.write(code, numBits);
            if (--enlargeIn == 0) {
                enlargeIn = 1 << numBits;
                numBits++;
            }
        }
        out.write(2, numBits);
        return out.finish();
    }

    static long lz64BombLength(int codes) {
        return 1 + (long) codes * (codes + 3) / 2;
    }

    /** lz-string's bit writer for base64: values low bit first, 6 bits a character. */
    private static final class LzBits {
        private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
        private final StringBuilder text = new StringBuilder();
        private int value;
        private int position;

        void write(int bits, int count) {
            for (int i = 0; i < count; i++) {
                value = (value << 1) | (bits & 1);
                bits >>= 1;
                push();
            }
        }

        private boolean push() {
            if (position == 5) {
                text.append(ALPHABET.charAt(value));
                position = 0;
                value = 0;
                return true;
            }
            position++;
            return false;
        }

        String finish() {
            do {
                value <<= 1;
            } while (!push());
            while (text.length() % 4 != 0) {
                text.append('=');
            }
            return text.toString();
        }
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code name=value&...}, each part URL-encoded as a browser or the Django test client would. */
    static String formEncode(String... namesAndValues) {
        StringJoiner joined = new StringJoiner("&");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            joined.add(URLEncoder.encode(namesAndValues[i], StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(namesAndValues[i + 1], StandardCharsets.UTF_8));
        }
        return joined.toString();
    }

    static final class Builder {
        private final String method;
        private final String path;
        private final Map<String, String> query = new LinkedHashMap<>();
        private String contentType = "";
        private String contentEncoding;
        private byte[] body = new byte[0];

        private Builder(String method, String path) {
            this.method = method;
            this.path = path;
        }

        /** A query parameter as the controller hands it over: already URL-decoded. */
        Builder query(String name, String value) {
            query.put(name, value);
            return this;
        }

        Builder contentType(String value) {
            contentType = value;
            return this;
        }

        Builder contentEncoding(String value) {
            contentEncoding = value;
            return this;
        }

        Builder body(byte[] value) {
            body = value;
            return this;
        }

        Builder body(String value) {
            return body(utf8(value));
        }

        Builder json(String value) {
            return contentType("application/json").body(value);
        }

        /** A form body with its fields URL-encoded. */
        Builder form(String... namesAndValues) {
            return contentType("application/x-www-form-urlencoded").body(formEncode(namesAndValues));
        }

        /** A form body exactly as given, not encoded again. */
        Builder rawForm(String encoded) {
            return contentType("application/x-www-form-urlencoded").body(encoded);
        }

        CaptureRequest build() {
            return new CaptureRequest(method, path, Map.copyOf(query), contentType, contentEncoding, body);
        }
    }
}
