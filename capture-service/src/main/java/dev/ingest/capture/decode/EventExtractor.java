package dev.ingest.capture.decode;

import dev.ingest.capture.error.CaptureError;
import dev.ingest.capture.error.CaptureException;
import dev.ingest.common.id.Uuids;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Finds the events, their token, distinct ids and uuids in a decoded payload (POSTHOG_SPEC §1.3-1.6, §1.9), and
 * rejects what PostHog rejects with the same codes and messages.
 */
public final class EventExtractor {
    public static final int MAX_DISTINCT_ID_LENGTH = 200;
    /** capture-rs ignores a {@code _} query value that lands in 2020 or before: it was probably seconds, not ms. */
    private static final long SENT_AT_QUERY_CUTOFF_MS = LocalDate.of(2021, 1, 1).atStartOfDay(ZoneOffset.UTC)
            .toInstant().toEpochMilli();

    private final Clock clock;

    public EventExtractor(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock is null");
    }

    public CaptureBatch extract(DecodedPayload payload, CaptureRequest request) {
        JsonNode json = payload.json();
        List<JsonNode> events = new ArrayList<>();
        JsonNode batchToken = null;
        boolean hasBatchToken = false;
        String sentAt = null;
        boolean historical = false;
        boolean engage = false;
        if (json.isArray()) {
            json.forEach(events::add);
        } else if (json.isObject() && json.has("batch")) {
            JsonNode batch = json.get("batch");
            if (!batch.isArray()) {
                throw CaptureException.invalidPayload("the field \"batch\" must be an array of events");
            }
            batch.forEach(events::add);
            hasBatchToken = json.has("api_key") || json.has("token");
            batchToken = json.hasNonNull("api_key") || !json.has("token") ? json.get("api_key") : json.get("token");
            sentAt = text(json.get("sent_at"));
            historical = json.path("historical_migration").asBoolean(false);
        } else if (json.isObject()) {
            events.add(json);
            sentAt = text(json.get("sent_at"));
            engage = request.path().contains("engage");
        } else {
            throw CaptureException.invalidPayload("the payload must be an event, an array of events or a batch object");
        }
        if (events.isEmpty()) {
            throw CaptureException.invalidPayload("request holds no event");
        }
        String token = TokenShape.validate(findToken(events, hasBatchToken, batchToken, payload.formToken()));
        if (sentAt == null) {
            sentAt = sentAtFromQuery(request.query().get("_"));
        }

        List<IncomingEvent> accepted = new ArrayList<>(events.size());
        int skipped = 0;
        for (JsonNode node : events) {
            if (!(node instanceof ObjectNode event)) {
                throw CaptureException.invalidPayload("every event must be a JSON object");
            }
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
                continue;
            }
            accepted.add(toIncoming(event, name.asString()));
        }
        return new CaptureBatch(token, accepted, sentAt, historical, skipped);
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
        return new IncomingEvent(uuid, distinctId, name, event, cookieless != null && cookieless.asBoolean(false));
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
        text = text.replace('\0', '\uFFFD');
        return text.codePointCount(0, text.length()) <= MAX_DISTINCT_ID_LENGTH
                ? text
                : text.substring(0, text.offsetByCodePoints(0, MAX_DISTINCT_ID_LENGTH));
    }

    private static String findToken(List<JsonNode> events, boolean hasBatchToken, JsonNode batchToken, String formToken) {
        if (hasBatchToken) {
            return tokenText(batchToken);
        }
        Set<String> seen = new LinkedHashSet<>();
        for (JsonNode event : events) {
            JsonNode token = firstPresent(event.get("$token"), event.get("token"), event.get("api_key"),
                    event.path("properties").get("token"));
            if (token != null) {
                seen.add(tokenText(token));
            }
        }
        if (seen.size() > 1) {
            throw new CaptureException(CaptureError.MULTIPLE_API_KEYS,
                    "Provided API keys are not all the same: every event of a request must use one project");
        }
        if (!seen.isEmpty()) {
            return seen.iterator().next();
        }
        if (formToken != null) {
            return formToken;
        }
        throw new CaptureException(CaptureError.MISSING_API_KEY,
                "API key not provided. You can find your project API key in PostHog project settings.");
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
