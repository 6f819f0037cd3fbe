package dev.ingest.decide.http;

import dev.ingest.common.json.ChargedTrees;
import dev.ingest.common.json.Json;
import dev.ingest.common.json.Utf8;
import dev.ingest.common.memory.ChargedReader;
import dev.ingest.common.memory.MemoryBudget;
import dev.ingest.decide.evaluation.DecideRequest;
import dev.ingest.decide.flags.EvaluationRuntime;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decodes a /decide or /flags body the ways the SDKs send it: JSON, gzip (recognised by its magic bytes, as
 * posthog-js sends it without a hint), base64 form data ({@code data=}, posthog-js without compression) or base64 with
 * {@code ?compression=base64}. Decompressed size is capped. Pure.
 */
public final class DecideRequestDecoder {
    private static final ChargedReader READER = ChargedReader.systemClock();

    private final long maxBytes;

    public DecideRequestDecoder(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** {@link #decode(byte[], String, Map, MemoryBudget.Lease)} with no memory budget (tests). */
    public ObjectNode decode(byte[] body, String contentType, Map<String, String> query) {
        try (MemoryBudget.Lease unbounded = new MemoryBudget(Long.MAX_VALUE).lease(Long.MAX_VALUE)) {
            return decode(body, contentType, query, unbounded);
        }
    }

    /** The body as an object; what decoding allocates (inflated text, the tree) is charged to {@code lease} first. */
    public ObjectNode decode(byte[] body, String contentType, Map<String, String> query, MemoryBudget.Lease lease) {
        if (body.length == 0) {
            return Json.object();
        }
        byte[] payload = body;
        String compression = query.getOrDefault("compression", "");
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            lease.charge(3L * body.length);
            Map<String, String> form = form(new String(body, StandardCharsets.UTF_8));
            payload = form.getOrDefault("data", "").getBytes(StandardCharsets.UTF_8);
            compression = form.getOrDefault("compression", compression.isEmpty() ? "base64" : compression);
        }
        if (payload.length >= 2 && (payload[0] & 0xff) == 0x1f && (payload[1] & 0xff) == 0x8b) {
            payload = gunzip(payload, lease);
        } else if (compression.equalsIgnoreCase("base64") || compression.equalsIgnoreCase("b64")) {
            lease.charge(3L * payload.length);
            payload = base64(new String(payload, StandardCharsets.UTF_8));
        }
        if (!Utf8.isValid(payload)) {
            throw DecideException.malformed("invalid body encoding: the payload is not UTF-8");
        }
        JsonNode json;
        try {
            json = ChargedTrees.readDocument(payload, lease).node();
        } catch (JacksonException e) {
            throw DecideException.malformed("Invalid JSON: " + e.getOriginalMessage());
        }
        if (json == null || !(json instanceof ObjectNode object)) {
            throw DecideException.malformed("the body must be a JSON object");
        }
        return object;
    }

    /** The request fields flag evaluation uses; the token is read by the caller. */
    public static DecideRequest request(ObjectNode body, String token) {
        JsonNode distinctId = body.get("distinct_id");
        String id = distinctId == null || distinctId.isNull() ? null
                : distinctId.isString() ? distinctId.asString() : distinctId.toString();
        Map<String, String> groups = new LinkedHashMap<>();
        if (body.get("groups") instanceof ObjectNode g) {
            g.properties().forEach(e -> {
                if (!e.getValue().isNull()) {
                    groups.put(e.getKey(), e.getValue().isString() ? e.getValue().asString() : e.getValue().toString());
                }
            });
        }
        Map<String, JsonNode> personProperties = new HashMap<>();
        if (body.get("person_properties") instanceof ObjectNode p) {
            p.properties().forEach(e -> personProperties.put(e.getKey(), e.getValue()));
        }
        Map<String, Map<String, JsonNode>> groupProperties = new HashMap<>();
        if (body.get("group_properties") instanceof ObjectNode gp) {
            gp.properties().forEach(e -> {
                Map<String, JsonNode> values = new HashMap<>();
                if (e.getValue() instanceof ObjectNode props) {
                    props.properties().forEach(v -> values.put(v.getKey(), v.getValue()));
                }
                groupProperties.put(e.getKey(), values);
            });
        }
        List<String> flagKeys = null;
        JsonNode keys = body.has("flag_keys_to_evaluate") ? body.get("flag_keys_to_evaluate") : body.get("flag_keys");
        if (keys != null && keys.isArray()) {
            flagKeys = new ArrayList<>();
            for (JsonNode key : keys) {
                // Flag keys are strings; anything else in the list names no flag (asString() would throw on it).
                if (key.isString()) {
                    flagKeys.add(key.asString());
                }
            }
        }
        JsonNode contexts = body.has("evaluation_contexts") ? body.get("evaluation_contexts") : body.get("evaluation_environments");
        List<String> evaluationContexts = new ArrayList<>();
        if (contexts != null && contexts.isArray()) {
            for (JsonNode context : contexts) {
                if (context.isString()) {
                    evaluationContexts.add(context.asString());
                }
            }
        }
        JsonNode runtime = body.get("evaluation_runtime");
        return new DecideRequest(token, id, text(body.get("$anon_distinct_id")), text(body.get("$device_id")), groups,
                personProperties, groupProperties, flagKeys, body.path("disable_flags").asBoolean(false),
                evaluationContexts, new EvaluationRuntime.RequestSignals(
                        runtime != null && runtime.isString() ? runtime.asString() : null, null, false));
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.isString() ? node.asString() : node.toString();
    }

    private byte[] gunzip(byte[] payload, MemoryBudget.Lease lease) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(payload))) {
            return READER.read(in, maxBytes, lease, null);
        } catch (ChargedReader.TooLarge e) {
            throw new DecideException(413, "validation_error", "payload_too_large",
                    "Decompressed body exceeds the limit of " + maxBytes + " bytes");
        } catch (IOException e) {
            throw DecideException.malformed("Failed to decompress data. " + e.getMessage());
        }
    }

    private static byte[] base64(String text) {
        String cleaned = text.trim().replace(' ', '+');
        int padding = (4 - cleaned.length() % 4) % 4;
        try {
            return Base64.getDecoder().decode(cleaned + "=".repeat(padding == 3 ? 0 : padding));
        } catch (IllegalArgumentException e) {
            throw DecideException.malformed("invalid base64 data");
        }
    }

    static Map<String, String> form(String encoded) {
        Map<String, String> values = new HashMap<>();
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                try {
                    values.putIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw DecideException.malformed("invalid form encoding");
                }
            }
        }
        return values;
    }
}
