package dev.ingest.plugin.apps.js;

import dev.ingest.common.json.Json;
import dev.ingest.plugin.apps.WebhookRequest;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Reads what a hook returned (JSON made by JSON.stringify in the sandbox) into host types, checking its shape. */
final class JsResults {
    /** Headers the HTTP client sets itself; a script setting them is a mistake worth reporting. */
    static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "connection", "transfer-encoding");

    private JsResults() {}

    /** processEvent's result: an event with a properties object. */
    static ObjectNode event(String json) {
        JsonNode node = Json.read(json);
        if (node instanceof ObjectNode event && event.get("properties") instanceof ObjectNode) {
            return event;
        }
        throw badResult("processEvent must return the event (an object with a properties object), or null to drop it;"
                + " it returned " + describe(node));
    }

    /** composeWebhook's result: {@code {url, method?, headers?, body?}}; the bridge already made body a string. */
    static WebhookRequest webhook(String json) {
        JsonNode node = Json.read(json);
        if (!(node instanceof ObjectNode request)) {
            throw badResult("composeWebhook must return {url, method?, headers?, body?} or null; it returned "
                    + describe(node));
        }
        JsonNode url = request.get("url");
        if (url == null || !url.isString()) {
            throw badResult("composeWebhook must return a url string");
        }
        JsonNode method = request.get("method");
        if (method != null && !method.isNull() && !method.isString()) {
            throw badResult("composeWebhook's method must be a string");
        }
        JsonNode body = request.get("body");
        try {
            return new WebhookRequest(method == null || method.isNull() ? "POST" : method.asString(),
                    URI.create(url.asString()), headers(request.get("headers")),
                    body == null || body.isNull() ? null : body.asString());
        } catch (IllegalArgumentException e) {
            throw badResult("composeWebhook returned an invalid request: " + e.getMessage());
        }
    }

    private static Map<String, String> headers(JsonNode headers) {
        if (headers == null || headers.isNull()) {
            return Map.of();
        }
        if (!headers.isObject()) {
            throw badResult("composeWebhook's headers must be an object of strings");
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> header : headers.properties()) {
            JsonNode value = header.getValue();
            if (value.isNull()) {
                continue;
            }
            if (!value.isValueNode()) {
                throw badResult("composeWebhook's header " + header.getKey() + " must be a string");
            }
            if (RESERVED_HEADERS.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                throw badResult("composeWebhook may not set the " + header.getKey() + " header: the client sets it");
            }
            result.put(header.getKey(), value.asString());
        }
        return result;
    }

    private static String describe(JsonNode node) {
        if (node.isObject()) {
            return "an object without a properties object";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isString()) {
            return "a string";
        }
        if (node.isNumber()) {
            return "a number";
        }
        return node.toString();
    }

    private static JsAppException badResult(String message) {
        return new JsAppException(JsAppException.Kind.BAD_RESULT, "js app " + message);
    }
}
