package dev.ingest.capture.decode;

import dev.ingest.capture.error.CaptureError;
import dev.ingest.capture.error.CaptureException;
import dev.ingest.common.json.Utf8;
import dev.ingest.common.memory.ChargedReader;
import dev.ingest.common.memory.MemoryBudget;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a capture request into JSON text, the way PostHog's capture does (rust/capture in PostHog/posthog): payload
 * from the body, the form field {@code data} or (GET) the query; compression from {@code ?compression=}, the form, or
 * Content-Encoding, with gzip also recognised by its magic bytes whatever the parameters say; lz-string; base64
 * as a fallback. The text is parsed by {@link EventExtractor}, event by event. Pure: no servlet, no Kafka, no clock.
 */
public final class PayloadDecoder {
    static final String NO_DATA_DETAIL = "No data found. Make sure to use a POST request when sending the payload"
            + " in the body of the request.";

    private static final ChargedReader READER = ChargedReader.systemClock();

    private final Limits limits;

    public PayloadDecoder(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits is null");
    }

    /** {@link #decode(CaptureRequest, MemoryBudget.Lease)} with no memory budget: tests and tools. */
    public DecodedPayload decode(CaptureRequest request) {
        try (MemoryBudget.Lease unbounded = new MemoryBudget(Long.MAX_VALUE).lease(Long.MAX_VALUE)) {
            return decode(request, unbounded);
        }
    }

    /**
     * The request's JSON text, decompressed and checked to be UTF-8, not yet parsed (the extractor streams it). What
     * decoding allocates is charged to {@code lease} first.
     */
    public DecodedPayload decode(CaptureRequest request, MemoryBudget.Lease lease) {
        Map<String, String> form = Map.of();
        byte[] payload;
        if (request.isGet()) {
            payload = bytes(request.query().get("data"));
        } else if (request.contentType().startsWith("application/x-www-form-urlencoded")
                || request.contentType().startsWith("multipart/form-data")) {
            // The body as text, the decoded values and the payload bytes: three times the body at most.
            lease.charge(3L * request.body().length);
            form = FormDecoder.parse(request.body());
            payload = bytes(form.get("data"));
        } else {
            payload = request.body();
        }
        if (payload.length == 0) {
            throw new CaptureException(CaptureError.NO_DATA, NO_DATA_DETAIL);
        }
        String compression = firstNonBlank(request.query().get("compression"), form.get("compression"),
                request.contentEncoding());
        byte[] decompressed = decompress(payload, compression == null ? "" : compression.trim().toLowerCase(Locale.ROOT),
                lease);
        int start = firstNonWhitespace(decompressed);
        if (start < 0) {
            throw new CaptureException(CaptureError.NO_DATA, NO_DATA_DETAIL);
        }
        // The common case, JSON, is checked as bytes (strictly: Jackson reads overlong forms such as C0 AF as '/');
        // anything else may be base64 and goes through the text fallback.
        byte[] json;
        if (decompressed[start] == '{' || decompressed[start] == '[') {
            if (!Utf8.isValid(decompressed)) {
                throw CaptureException.malformed("invalid body encoding: the payload is not UTF-8", null);
            }
            json = decompressed;
        } else {
            lease.charge(4L * decompressed.length);
            json = base64Fallback(utf8(decompressed)).getBytes(StandardCharsets.UTF_8);
        }
        String token = null;
        if (request.isGet()) {
            token = firstNonBlank(request.query().get("token"), request.query().get("api_key"));
        }
        if (token == null) {
            token = firstNonBlank(form.get("api_key"), form.get("token"));
        }
        return new DecodedPayload(json, token);
    }

    private byte[] decompress(byte[] payload, String compression, MemoryBudget.Lease lease) {
        if (isGzip(payload)) {
            return gunzip(payload, lease);
        }
        return switch (compression) {
            case "gzip", "gzip-js" -> {
                if ("undefined".equals(new String(payload, StandardCharsets.ISO_8859_1))) {
                    throw CaptureException.malformed("Failed to decompress data: body is 'undefined'", null);
                }
                yield gunzip(payload, lease);
            }
            case "lz64", "lz-string" -> {
                // The text, and the decoder's output capped at the decompressed limit (two bytes a character).
                lease.charge(2L * payload.length + 2 * limits.maxDecompressedBytes());
                yield lzString(utf8(payload)).getBytes(StandardCharsets.UTF_8);
            }
            case "base64", "b64" -> {
                lease.charge(3L * payload.length);
                byte[] decoded;
                try {
                    decoded = base64(utf8(payload).trim());
                } catch (IllegalArgumentException e) {
                    throw CaptureException.malformed("Failed to decode base64 data", e);
                }
                yield decoded;
            }
            default -> payload;
        };
    }

    private static int firstNonWhitespace(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return i;
            }
        }
        return -1;
    }

    static boolean isGzip(byte[] payload) {
        return payload.length >= 3 && (payload[0] & 0xff) == 0x1f && (payload[1] & 0xff) == 0x8b && payload[2] == 8;
    }

    private byte[] gunzip(byte[] payload, MemoryBudget.Lease lease) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(payload), 8192)) {
            return READER.read(in, limits.maxDecompressedBytes(), lease, null);
        } catch (ChargedReader.TooLarge e) {
            throw new CaptureException(CaptureError.PAYLOAD_TOO_LARGE, CaptureError.PAYLOAD_TOO_LARGE.code(),
                    "Decompressed payload exceeds the limit of " + limits.maxDecompressedBytes() + " bytes", null);
        } catch (IOException e) {
            throw CaptureException.malformed("Failed to decompress data. " + e.getMessage(), e);
        }
    }

    private String lzString(String text) {
        String decoded;
        try {
            // TRICKY: form and query decoding turn '+' into ' '; lz-string's base64 alphabet needs them back.
            // The cap is applied while decoding: an lz-string bomb expands quadratically and would exhaust the heap.
            decoded = LzString.decompressFromBase64(text.trim().replace(' ', '+'), limits.maxDecompressedBytes());
        } catch (LzString.TooLargeException e) {
            throw new CaptureException(CaptureError.PAYLOAD_TOO_LARGE, CaptureError.PAYLOAD_TOO_LARGE.code(),
                    "Decompressed payload exceeds the limit of " + limits.maxDecompressedBytes() + " bytes", null);
        } catch (RuntimeException e) {
            throw CaptureException.malformed("Failed to decompress lz64 data", e);
        }
        if (decoded == null || decoded.isEmpty()) {
            throw CaptureException.malformed("Failed to decompress lz64 data", null);
        }
        return decoded;
    }

    /**
     * Django's {@code base64_decode} fallback: a text that is not JSON may be (URL-quoted) base64, perhaps behind
     * {@code data=}, with its '+' turned into spaces on the way. Anything that fails keeps the original text.
     */
    static String base64Fallback(String text) {
        String trimmed = text.strip();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            return text;
        }
        try {
            String candidate = URLDecoder.decode(trimmed.replace("+", "%2B"), StandardCharsets.UTF_8);
            if (candidate.startsWith("data=")) {
                candidate = candidate.substring(5);
            }
            return utf8(base64(candidate));
        } catch (RuntimeException e) {
            return text;
        }
    }

    private static byte[] base64(String text) {
        String cleaned = text.replace(' ', '+').replace("\n", "").replace("\r", "");
        int padding = (4 - cleaned.length() % 4) % 4;
        cleaned = cleaned + "=".repeat(padding == 3 ? 0 : padding);
        try {
            return Base64.getDecoder().decode(cleaned);
        } catch (IllegalArgumentException e) {
            return Base64.getUrlDecoder().decode(cleaned);
        }
    }

    /** NaN, Infinity and -Infinity (which some SDKs write) become null, as Python's json module reads them. */
    static JsonNode replaceNonFinite(JsonNode node) {
        if (node.isNumber() && node.isFloatingPointNumber()) {
            double value = node.asDouble();
            return Double.isFinite(value) ? node : JsonNodeFactory.instance.nullNode();
        }
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                JsonNode replaced = replaceNonFinite(entry.getValue());
                if (replaced != entry.getValue()) {
                    entry.setValue(replaced);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                JsonNode replaced = replaceNonFinite(array.get(i));
                if (replaced != array.get(i)) {
                    array.set(i, replaced);
                }
            }
        }
        return node;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw CaptureException.malformed("invalid body encoding: the payload is not UTF-8", e);
        }
    }

    private static byte[] bytes(String value) {
        return value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
