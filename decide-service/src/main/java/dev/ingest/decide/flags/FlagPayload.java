package dev.ingest.decide.flags;

import dev.ingest.common.json.Json;
import tools.jackson.databind.JsonNode;

/**
 * A payload of {@code filters.payloads}, as every response shape returns it: a string holding JSON
 * ({@code "{\"a\":1}"}, {@code "\"hello\""}, {@code "42"}), exactly as stored. The SDKs parse it themselves; PostHog's
 * server never does (docs/posthog-compatibility.md#feature-flags).
 *
 * @param json the stored string; a definition written before payloads were validated may hold a non-string JSON
 *     value instead, which is served as its JSON text (the V8 migration rewrites such rows the same way)
 */
public record FlagPayload(String json) {

    public static FlagPayload of(JsonNode stored) {
        return new FlagPayload(stored.isString() ? stored.stringValue() : Json.write(stored));
    }
}
