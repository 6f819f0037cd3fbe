package dev.ingest.plugin.destination;

import dev.ingest.common.json.Json;
import dev.ingest.plugin.apps.WebhookRequest;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One event on its way to one destination: either a composed HTTP request ({@code request}) or a JS app's
 * {@code onEvent} call ({@code event}). It travels through the retry and dead-letter topics as JSON ({@link #toJson}
 * / {@link #fromJson}), so a retry sends exactly what the first attempt sent; its headers, where credentials live,
 * travel sealed ({@link DeliverySeal}).
 *
 * @param destinationId the app_config row of the destination
 * @param teamId the project
 * @param app the app's name (webhook, customerio, js)
 * @param eventUuid the event it was made from
 * @param attempt the number of the attempt about to be made (1 for the first)
 * @param notBefore epoch millis before which the attempt must not be made
 * @param lastError why the previous attempt failed, or null
 * @param request the request to send, or null for an onEvent call
 * @param event the processed event, for an onEvent call; null for a request
 */
public record Delivery(long destinationId, long teamId, String app, String eventUuid, int attempt, long notBefore,
        String lastError, WebhookRequest request, ObjectNode event) {
    public Delivery {
        Objects.requireNonNull(app, "app");
        if ((request == null) == (event == null)) {
            throw new IllegalArgumentException("a delivery carries a request or an event, exactly one");
        }
    }

    public static Delivery request(long destinationId, long teamId, String app, String eventUuid, WebhookRequest request) {
        return new Delivery(destinationId, teamId, app, eventUuid, 1, 0, null, request, null);
    }

    public static Delivery onEvent(long destinationId, long teamId, String app, String eventUuid, ObjectNode event) {
        return new Delivery(destinationId, teamId, app, eventUuid, 1, 0, null, null, event);
    }

    /** The same delivery, due again at {@code notBefore} after an attempt that failed with {@code error}. */
    public Delivery next(long notBefore, String error) {
        return new Delivery(destinationId, teamId, app, eventUuid, attempt + 1, notBefore, error, request, event);
    }

    /** What an operator sees: the app and the target. */
    public String target() {
        return request == null ? app + ".onEvent" : request.method() + " " + request.url();
    }

    /** The delivery as its retry or dead-letter record; the request's headers are sealed. */
    public byte[] toJson(DeliverySeal seal) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("destination_id", destinationId);
        value.put("team_id", teamId);
        value.put("app", app);
        value.put("event_uuid", eventUuid);
        value.put("attempt", attempt);
        value.put("not_before", notBefore);
        value.put("last_error", lastError);
        if (request != null) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("method", request.method());
            r.put("url", request.url().toString());
            r.put("sealed_headers", seal.seal(Json.write(request.headers())));
            r.put("body", request.body());
            value.put("request", r);
        } else {
            value.put("event", event);
        }
        return Json.writeBytes(value);
    }

    /**
     * Reads a record of the retry topic; throws {@link IllegalArgumentException} when it is not a delivery or its
     * headers cannot be opened. Records from before headers were sealed ({@code headers} in clear) are read as they are.
     */
    public static Delivery fromJson(byte[] json, DeliverySeal seal) {
        try {
            JsonNode node = Json.read(json, JsonNode.class);
            WebhookRequest request = null;
            JsonNode r = node.path("request");
            if (r.isObject()) {
                Map<String, String> headers = new LinkedHashMap<>();
                JsonNode clear = r.has("sealed_headers") ? Json.read(seal.open(r.path("sealed_headers").asString()))
                        : r.path("headers");
                clear.properties().forEach(h -> headers.put(h.getKey(), h.getValue().asString()));
                request = new WebhookRequest(r.path("method").asString(), URI.create(r.path("url").asString()), headers,
                        r.path("body").isNull() ? null : r.path("body").asString(null));
            }
            JsonNode event = node.path("event");
            return new Delivery(node.path("destination_id").asLong(), node.path("team_id").asLong(),
                    node.path("app").asString(), node.path("event_uuid").asString(null), node.path("attempt").asInt(1),
                    node.path("not_before").asLong(), node.path("last_error").asString(null), request,
                    event.isObject() ? (ObjectNode) event : null);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a delivery: " + e.getMessage(), e);
        }
    }
}
