package dev.ingest.capture.decode;

import dev.ingest.capture.error.CaptureError;
import dev.ingest.capture.error.CaptureException;
import dev.ingest.common.id.Uuids;
import dev.ingest.common.json.ChargedTrees;
import dev.ingest.common.json.Json;
import dev.ingest.common.memory.MemoryBudget;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Finds the events, their token, distinct ids and uuids in a decoded payload
 * (docs/posthog-compatibility.md#capture-events-tokens-and-distinct-ids), and rejects what PostHog rejects with the
 * same codes and messages.
 */
public final class EventExtractor {
    public static final int MAX_DISTINCT_ID_LENGTH = 200;
    /** capture-rs ignores a {@code _} query value that lands in 2020 or before: it was probably seconds, not ms. */
    private static final long SENT_AT_QUERY_CUTOFF_MS = LocalDate.of(2021, 1, 1).atStartOfDay(ZoneOffset.UTC)
            .toInstant().toEpochMilli();

    /**
     * Payloads up to this size are read with {@link EventScanner}, and their plain events forwarded as their own bytes;
     * the scan's transient strings are covered by charging twice the payload's size while it runs. Larger payloads
     * (the large-request lane's) are read one charged tree per event.
     */
    public static final int SCANNED_PAYLOAD_LIMIT = 1 << 20;
    private static final byte[] UUID_FIELD = "{\"uuid\":\"".getBytes(StandardCharsets.US_ASCII);

    private final Clock clock;
    private final int scannedPayloadLimit;

    public EventExtractor(Clock clock) {
        this(clock, SCANNED_PAYLOAD_LIMIT);
    }

    /** {@code scannedPayloadLimit}: -1 reads every event as a tree (tests compare the two readings). */
    EventExtractor(Clock clock, int scannedPayloadLimit) {
        this.clock = Objects.requireNonNull(clock, "clock is null");
        this.scannedPayloadLimit = scannedPayloadLimit;
    }

    /** {@link #extract(DecodedPayload, CaptureRequest, MemoryBudget.Lease)} with no memory budget: tests and tools. */
    public CaptureBatch extract(DecodedPayload payload, CaptureRequest request) {
        try (MemoryBudget.Lease unbounded = new MemoryBudget(Long.MAX_VALUE).lease(Long.MAX_VALUE)) {
            return extract(payload, request, unbounded);
        }
    }

    /**
     * Reads the payload with a streaming parser, one event at a time: each event becomes a tree only while it is
     * checked (its cost charged to {@code lease} first, see {@link ChargedTrees}) and is kept as its JSON text, so a
     * request never holds the tree of the whole batch. The answers are those of a whole-tree reading: the token is
     * checked before the events, and the first invalid event, in order, decides the error.
     */
    public CaptureBatch extract(DecodedPayload payload, CaptureRequest request, MemoryBudget.Lease lease) {
        byte[] bytes = payload.json();
        if (bytes.length > scannedPayloadLimit) {
            return extract(payload, request, lease, false, false);
        }
        long scanAllowance = 2L * bytes.length;
        lease.charge(scanAllowance);
        try {
            return extract(payload, request, lease, true, true);
        } finally {
            lease.release(scanAllowance);
        }
    }

    /**
     * {@code scanEvents}: the events of an array are scanned; {@code scanSingle}: a top-level object is first scanned
     * as one event (a scan that meets a top-level {@code batch} key gives up, and the payload is read again without).
     */
    private CaptureBatch extract(DecodedPayload payload, CaptureRequest request, MemoryBudget.Lease lease,
            boolean scanEvents, boolean scanSingle) {
        byte[] bytes = payload.json();
        boolean engage = request.path().contains("engage");
        Events events = new Events(lease, scanEvents);
        JsonNode batchToken = null;
        boolean hasBatchToken = false;
        String sentAt = null;
        boolean historical = false;
        try (JsonParser parser = Json.MAPPER.createParser(bytes)) {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_ARRAY) {
                events.readArray(parser, bytes);
            } else if (first == JsonToken.START_OBJECT && scanSingle && !engage) {
                EventScanner.Scan single = EventScanner.scan(parser, bytes, true);
                if (single == null) {
                    return extract(payload, request, lease, scanEvents, false);
                }
                sentAt = events.accept(single, bytes);
            } else if (first == JsonToken.START_OBJECT) {
                // Top-level fields are read one by one; "batch" is streamed, anything else kept as a (charged) tree.
                ObjectNode top = JsonNodeFactory.instance.objectNode();
                boolean batch = false;
                while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                    String name = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (name.equals("batch") && value == JsonToken.START_ARRAY) {
                        events.reset();
                        // With the batch's own token already read, the events' tokens do not count: after the first
                        // invalid event the rest can be skipped unread.
                        events.skipAfterError = top.has("api_key") || top.has("token");
                        events.readArray(parser, bytes);
                        batch = true;
                        top.remove(name);
                    } else {
                        top.set(name, PayloadDecoder.replaceNonFinite(ChargedTrees.read(parser, bytes, lease).node()));
                        batch &= !name.equals("batch");
                    }
                }
                if (top.has("batch")) {
                    throw CaptureException.invalidPayload("the field \"batch\" must be an array of events");
                }
                if (batch) {
                    hasBatchToken = top.has("api_key") || top.has("token");
                    batchToken = top.hasNonNull("api_key") || !top.has("token") ? top.get("api_key") : top.get("token");
                    historical = top.path("historical_migration").asBoolean(false);
                } else {
                    events.accept(top, engage);
                }
                sentAt = text(top.get("sent_at"));
            } else if (first == JsonToken.VALUE_NULL) {
                throw new CaptureException(CaptureError.NO_DATA, PayloadDecoder.NO_DATA_DETAIL);
            } else {
                throw CaptureException.invalidPayload("the payload must be an event, an array of events or a batch object");
            }
            JsonToken trailing = parser.nextToken();
            if (trailing != null) {
                throw CaptureException.malformed("Invalid JSON: Trailing token (of type " + trailing
                        + ") found after the value", null);
            }
        } catch (JacksonException e) {
            throw CaptureException.malformed("Invalid JSON: " + e.getOriginalMessage(), e);
        }
        if (events.count == 0) {
            throw CaptureException.invalidPayload("request holds no event");
        }
        String token = TokenShape.validate(hasBatchToken ? tokenText(batchToken) : events.token(payload.formToken()));
        if (events.firstError != null) {
            throw events.firstError;
        }
        if (sentAt == null) {
            sentAt = sentAtFromQuery(request.query().get("_"));
        }
        return new CaptureBatch(token, events.accepted, sentAt, historical, events.skipped);
    }

    /**
     * The events of a request as they stream by. Errors are kept, not thrown, until the token has been checked: the
     * first event error in order is the answer, but only once the token is known to be good.
     */
    private final class Events {
        private final MemoryBudget.Lease lease;
        private final boolean scan;
        private final List<IncomingEvent> accepted = new ArrayList<>();
        private int count;
        private int skipped;
        private CaptureException firstError;
        private CaptureException tokenError;
        private String firstToken;
        private boolean multipleTokens;
        private long acceptedCost;
        private boolean skipAfterError;

        Events(MemoryBudget.Lease lease, boolean scan) {
            this.lease = lease;
            this.scan = scan;
        }

        /** A later "batch" field replaces an earlier one, as it would in a tree. */
        void reset() {
            lease.release(acceptedCost);
            acceptedCost = 0;
            accepted.clear();
            count = 0;
            skipped = 0;
            firstError = null;
            tokenError = null;
            firstToken = null;
            multipleTokens = false;
            skipAfterError = false;
        }

        /** The parser is on START_ARRAY; reads every element, leaving the parser on END_ARRAY. */
        void readArray(JsonParser parser, byte[] bytes) {
            JsonToken element;
            while ((element = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (element == null) {
                    throw CaptureException.malformed("Invalid JSON: unexpected end of input in an array", null);
                }
                if (firstError != null && skipAfterError) {
                    count++;
                    parser.skipChildren();
                    continue;
                }
                if (scan && element == JsonToken.START_OBJECT) {
                    accept(EventScanner.scan(parser, bytes, false), bytes);
                    continue;
                }
                ChargedTrees.Charged tree = ChargedTrees.read(parser, bytes, lease);
                try {
                    accept(tree.node(), false);
                } finally {
                    lease.release(tree.cost());
                }
            }
        }

        /**
         * An event the scanner read: a plain one is forwarded as its own bytes (with a uuid added when it had none),
         * any other is read again as a tree. Returns its {@code sent_at} (a single-event body's send time).
         */
        String accept(EventScanner.Scan event, byte[] bytes) {
            if (!event.plain()) {
                ChargedTrees.Charged tree = ChargedTrees.readSlice(bytes, event.start(), event.end(), event.tokens(), lease);
                try {
                    JsonNode node = PayloadDecoder.replaceNonFinite(tree.node());
                    accept(node, false);
                    return text(node.get("sent_at"));
                } finally {
                    lease.release(tree.cost());
                }
            }
            count++;
            if (event.token() != null) {
                noteToken(event.token());
            }
            if (firstError == null) {
                String uuid = event.uuid() != null ? event.uuid() : Uuids.v7(clock).toString();
                byte[] data = event.uuid() != null ? Arrays.copyOfRange(bytes, event.start(), event.end())
                        : withUuid(bytes, event.start(), event.end(), uuid);
                add(new IncomingEvent(uuid, event.distinctId(), event.event(), data, event.cookieless(), event.timestamp()));
            }
            return event.sentAt();
        }

        /** One event; {@code engage}: a single {@code /engage} event, which is an {@code $identify}. */
        void accept(JsonNode node, boolean engage) {
            count++;
            if (!(PayloadDecoder.replaceNonFinite(node) instanceof ObjectNode event)) {
                fail(CaptureException.invalidPayload("every event must be a JSON object"));
                return;
            }
            noteToken(event);
            if (firstError != null) {
                return;
            }
            try {
                if (engage) {
                    event.put("event", "$identify");
                }
                JsonNode name = event.get("event");
                if (name == null || name.isNull()) {
                    throw CaptureException.invalidPayload("All events must have the event name field \"event\"!");
                }
                if (!name.isString()) {
                    throw CaptureException.invalidPayload("Event field \"event\" must be a string");
                }
                if (name.asString().isEmpty()) {
                    skipped++;
                    return;
                }
                add(toIncoming(event, name.asString()));
            } catch (CaptureException e) {
                fail(e);
            }
        }

        private void add(IncomingEvent incoming) {
            long cost = incoming.retainedBytes();
            lease.charge(cost);
            acceptedCost += cost;
            accepted.add(incoming);
        }

        private void fail(CaptureException error) {
            if (firstError == null) {
                firstError = error;
                lease.release(acceptedCost);
                acceptedCost = 0;
                accepted.clear();
            }
        }

        private void noteToken(ObjectNode event) {
            JsonNode token = firstPresent(event.get("$token"), event.get("token"), event.get("api_key"),
                    event.path("properties").get("token"));
            if (token == null || tokenError != null) {
                return;
            }
            try {
                noteToken(tokenText(token));
            } catch (CaptureException e) {
                tokenError = e;
            }
        }

        private void noteToken(String text) {
            if (tokenError != null) {
                return;
            }
            if (firstToken == null) {
                firstToken = text;
            } else if (!firstToken.equals(text)) {
                multipleTokens = true;
            }
        }

        /** The events' one token (or the form's), as a whole-tree reading would find it. */
        String token(String formToken) {
            if (tokenError != null) {
                throw tokenError;
            }
            if (multipleTokens) {
                throw new CaptureException(CaptureError.MULTIPLE_API_KEYS,
                        "Provided API keys are not all the same: every event of a request must use one project");
            }
            if (firstToken != null) {
                return firstToken;
            }
            if (formToken != null) {
                return formToken;
            }
            throw new CaptureException(CaptureError.MISSING_API_KEY,
                    "API key not provided. You can find your project API key in PostHog project settings.");
        }
    }

    private IncomingEvent toIncoming(ObjectNode event, String name) {
        JsonNode properties = event.get("properties");
        if (properties == null || properties.isNull()) {
            event.set("properties", JsonNodeFactory.instance.objectNode());
        } else if (!properties.isObject()) {
            throw CaptureException.invalidPayload("Event field \"properties\" must be an object");
        }
        String distinctId = distinctId(event);
        String uuid = uuid(event);
        JsonNode cookieless = event.path("properties").get("$cookieless_mode");
        if (cookieless != null && !cookieless.isNull() && !cookieless.isBoolean()) {
            throw new CaptureException(CaptureError.INVALID_COOKIELESS_MODE,
                    "Invalid payload: $cookieless_mode must be a boolean");
        }
        return new IncomingEvent(uuid, distinctId, name, Json.writeBytes(event), cookieless != null && cookieless.asBoolean(false),
                event.path("timestamp").isString() ? event.get("timestamp").asString() : null);
    }

    /** The event object in {@code bytes[start, end)} with a {@code uuid} field put first. */
    private static byte[] withUuid(byte[] bytes, int start, int end, String uuid) {
        byte[] uuidBytes = uuid.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[UUID_FIELD.length + uuidBytes.length + 2 + (end - start - 1)];
        System.arraycopy(UUID_FIELD, 0, out, 0, UUID_FIELD.length);
        System.arraycopy(uuidBytes, 0, out, UUID_FIELD.length, uuidBytes.length);
        out[UUID_FIELD.length + uuidBytes.length] = '"';
        out[UUID_FIELD.length + uuidBytes.length + 1] = ',';
        System.arraycopy(bytes, start + 1, out, UUID_FIELD.length + uuidBytes.length + 2, end - start - 1);
        return out;
    }

    private String uuid(ObjectNode event) {
        JsonNode uuid = event.get("uuid");
        if (uuid == null || uuid.isNull() || (uuid.isString() && uuid.asString().isEmpty())) {
            String generated = Uuids.v7(clock).toString();
            event.put("uuid", generated);
            return generated;
        }
        if (!uuid.isString() || !Uuids.isValid(uuid.asString())) {
            throw CaptureException.invalidPayload("Event field \"uuid\" is not a valid UUID!");
        }
        return uuid.asString();
    }

    /** capture-rs {@code extract_distinct_id}: top level first, then properties; non-strings as compact JSON. */
    static String distinctId(ObjectNode event) {
        JsonNode value = event.get("distinct_id");
        if (value == null || value.isNull()) {
            value = event.get("$distinct_id");
        }
        if (value == null || value.isNull()) {
            value = event.path("properties").get("distinct_id");
        }
        if (value == null || value.isMissingNode()) {
            // Django: a key present with null (or NaN, read as null) is "blank"; only an absent key is "missing".
            if (event.has("distinct_id") || event.has("$distinct_id") || event.path("properties").has("distinct_id")) {
                throw CaptureException.invalidPayload("Event field \"distinct_id\" should not be blank!");
            }
            throw CaptureException.invalidPayload("All events must have the event field \"distinct_id\"!");
        }
        String text = value.isString() ? value.asString() : value.isNull() ? "" : canonicalJson(value);
        if (text.isEmpty()) {
            throw CaptureException.invalidPayload("Event field \"distinct_id\" should not be blank!");
        }
        return normalizeDistinctId(text);
    }

    /** A non-empty distinct id as capture-rs stores it: NUL replaced, at most 200 code points. */
    static String normalizeDistinctId(String distinctId) {
        String text = distinctId.replace('\0', '\uFFFD');
        return text.codePointCount(0, text.length()) <= MAX_DISTINCT_ID_LENGTH
                ? text
                : text.substring(0, text.offsetByCodePoints(0, MAX_DISTINCT_ID_LENGTH));
    }

    private static String tokenText(JsonNode token) {
        if (token == null || token.isNull()) {
            throw new CaptureException(CaptureError.MISSING_API_KEY,
                    "API key not provided. You can find your project API key in PostHog project settings.");
        }
        if (!token.isString()) {
            throw TokenShape.invalid("not_string");
        }
        return token.asString();
    }

    private static JsonNode firstPresent(JsonNode... nodes) {
        for (JsonNode node : nodes) {
            if (node != null && !node.isNull() && !node.isMissingNode()) {
                return node;
            }
        }
        return null;
    }

    private static String sentAtFromQuery(String value) {
        if (value == null || !value.matches("\\d{1,18}")) {
            return null;
        }
        long millis = Long.parseLong(value);
        return millis < SENT_AT_QUERY_CUTOFF_MS ? null : Instant.ofEpochMilli(millis).toString();
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || !node.isValueNode() ? null : node.asString();
    }

    /** Compact JSON with object keys sorted, as serde_json writes a BTreeMap. */
    static String canonicalJson(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            node.properties().forEach(e -> sorted.put(e.getKey(), e.getValue()));
            StringBuilder out = new StringBuilder("{");
            sorted.forEach((key, value) -> {
                if (out.length() > 1) {
                    out.append(',');
                }
                out.append(JsonNodeFactory.instance.stringNode(key)).append(':').append(canonicalJson(value));
            });
            return out.append('}').toString();
        }
        if (node.isArray()) {
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(canonicalJson(node.get(i)));
            }
            return out.append(']').toString();
        }
        return node.toString();
    }
}
