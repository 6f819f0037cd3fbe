package dev.ingest.capture.decode;

import dev.ingest.capture.error.CaptureException;
import dev.ingest.common.id.Uuids;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Reads one event object with the streaming parser, without building a tree, and finds the few fields capture needs:
 * the name, uuid, distinct ids, tokens, {@code $cookieless_mode}, {@code timestamp} (and, for a single-event body,
 * {@code sent_at}). Capture then forwards the event's own bytes instead of re-serialising a tree
 * (docs/posthog-compatibility.md#capture-message-and-routing).
 *
 * <p>The scan decides nothing it is not sure of: an event is {@link Scan#plain() plain} only when every field it reads
 * has the common shape and nothing in the event needs rewriting (no non-finite number, properties an object, a
 * string distinct id, a valid or absent uuid, string or null tokens). Everything else, every error included, is left to
 * the tree reading of the same slice, so the answers and the rewritten text are defined in one place.
 */
final class EventScanner {
    /** A field capture reads is only taken from the scan up to this many characters (longer: the tree reading). */
    private static final int MAX_FIELD_CHARS = 4096;

    private EventScanner() {}

    /** One field's last occurrence (a later duplicate key wins, as in a tree). */
    private static final class Field {
        JsonToken kind;
        String text;
        int occurrences;

        boolean absent() {
            return kind == null;
        }

        boolean absentOrNull() {
            return kind == null || kind == JsonToken.VALUE_NULL;
        }

        boolean string() {
            return kind == JsonToken.VALUE_STRING;
        }
    }

    /**
     * What the scan found.
     *
     * @param start the event's first byte ({@code {}) in the source
     * @param end one past its last byte
     * @param tokens how many parser tokens it holds (what a tree of it would cost)
     * @param plain whether the fields below are final and the bytes can be forwarded as they are
     * @param uuid the event's uuid, or null when it has none (the caller generates one)
     * @param token the first of {@code $token}, {@code token}, {@code api_key}, {@code properties.token} that is not null
     * @param timestamp the event's {@code timestamp} when it is a string
     * @param sentAt {@code sent_at} when it is a string (what a single-event body's send time is)
     */
    record Scan(int start, int end, long tokens, boolean plain, String event, String uuid, String distinctId,
            String token, boolean cookieless, String timestamp, String sentAt) {}

    /**
     * The parser is on the event's START_OBJECT and reads {@code source} from offset 0; it is left on the event's
     * END_OBJECT. {@code topLevel}: the object is a whole request body, which is a batch, not an event, when it has a
     * {@code batch} key; the scan then stops there and answers null.
     */
    static Scan scan(JsonParser parser, byte[] source, boolean topLevel) throws JacksonException {
        int start = (int) parser.currentTokenLocation().getByteOffset();
        long tokensBefore = parser.currentTokenCount();
        Field event = new Field();
        Field uuid = new Field();
        Field distinctId = new Field();
        Field dollarDistinctId = new Field();
        Field dollarToken = new Field();
        Field token = new Field();
        Field apiKey = new Field();
        Field timestamp = new Field();
        Field sentAt = new Field();
        Field properties = new Field();
        Field propertiesDistinctId = new Field();
        Field propertiesToken = new Field();
        Field cookieless = new Field();
        boolean plain = true;
        boolean inProperties = false;
        Field field = null;
        int depth = 1;
        while (depth > 0) {
            JsonToken next = parser.nextToken();
            if (next == null) {
                throw CaptureException.malformed("Invalid JSON: unexpected end of input in an object", null);
            }
            if (topLevel && depth == 1 && next == JsonToken.PROPERTY_NAME && parser.currentName().equals("batch")) {
                return null;
            }
            switch (next) {
                case PROPERTY_NAME -> field = depth == 1 ? topLevel(parser.currentName(), event, uuid, distinctId,
                        dollarDistinctId, dollarToken, token, apiKey, timestamp, sentAt, properties)
                        : depth == 2 && inProperties ? inProperties(parser.currentName(), propertiesDistinctId,
                                propertiesToken, cookieless) : null;
                case START_OBJECT, START_ARRAY -> {
                    if (field != null) {
                        record(field, next, null);
                        inProperties = field == properties && next == JsonToken.START_OBJECT;
                        field = null;
                    }
                    depth++;
                }
                case END_OBJECT, END_ARRAY -> {
                    depth--;
                    if (depth == 1) {
                        inProperties = false;
                    }
                }
                default -> {
                    if (next == JsonToken.VALUE_NUMBER_FLOAT && !Double.isFinite(parser.getDoubleValue())) {
                        plain = false;
                    }
                    if (field != null) {
                        if (next == JsonToken.VALUE_STRING && parser.getStringLength() > MAX_FIELD_CHARS) {
                            plain = false;
                        }
                        record(field, next, next == JsonToken.VALUE_STRING && plain ? parser.getString() : null);
                        field = null;
                    }
                }
            }
        }
        int end = (int) parser.currentLocation().getByteOffset();
        long tokens = parser.currentTokenCount() - tokensBefore + 1;

        Field chosenDistinctId = !distinctId.absentOrNull() ? distinctId
                : !dollarDistinctId.absentOrNull() ? dollarDistinctId : propertiesDistinctId;
        Field chosenToken = firstNotNull(dollarToken, token, apiKey, propertiesToken);
        plain = plain
                && event.string() && !event.text.isEmpty()
                && (uuid.absent() || uuid.string() && !uuid.text.isEmpty() && Uuids.isValid(uuid.text))
                && properties.kind == JsonToken.START_OBJECT && properties.occurrences == 1
                && chosenDistinctId.string() && !chosenDistinctId.text.isEmpty()
                && stringOrNull(dollarToken) && stringOrNull(token) && stringOrNull(apiKey) && stringOrNull(propertiesToken)
                && (cookieless.absentOrNull() || cookieless.kind == JsonToken.VALUE_TRUE
                        || cookieless.kind == JsonToken.VALUE_FALSE)
                && (sentAt.absentOrNull() || sentAt.string());
        if (!plain) {
            return new Scan(start, end, tokens, false, null, null, null, null, false, null, null);
        }
        return new Scan(start, end, tokens, true, event.text, uuid.absent() ? null : uuid.text,
                EventExtractor.normalizeDistinctId(chosenDistinctId.text), chosenToken == null ? null : chosenToken.text,
                cookieless.kind == JsonToken.VALUE_TRUE, timestamp.string() ? timestamp.text : null,
                sentAt.string() ? sentAt.text : null);
    }

    private static Field topLevel(String name, Field event, Field uuid, Field distinctId, Field dollarDistinctId,
            Field dollarToken, Field token, Field apiKey, Field timestamp, Field sentAt, Field properties) {
        return switch (name) {
            case "event" -> event;
            case "uuid" -> uuid;
            case "distinct_id" -> distinctId;
            case "$distinct_id" -> dollarDistinctId;
            case "$token" -> dollarToken;
            case "token" -> token;
            case "api_key" -> apiKey;
            case "timestamp" -> timestamp;
            case "sent_at" -> sentAt;
            case "properties" -> properties;
            default -> null;
        };
    }

    private static Field inProperties(String name, Field distinctId, Field token, Field cookieless) {
        return switch (name) {
            case "distinct_id" -> distinctId;
            case "token" -> token;
            case "$cookieless_mode" -> cookieless;
            default -> null;
        };
    }

    private static void record(Field field, JsonToken kind, String text) {
        field.kind = kind;
        field.text = text;
        field.occurrences++;
    }

    private static boolean stringOrNull(Field field) {
        return field.absentOrNull() || field.string() && field.text != null;
    }

    private static Field firstNotNull(Field... fields) {
        for (Field field : fields) {
            if (!field.absentOrNull()) {
                return field;
            }
        }
        return null;
    }
}
