package dev.ingest.decide.flags;

import dev.ingest.common.json.Json;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Shared builders for the flag tests. */
final class FlagFixtures {
    static final Clock NOW = Clock.fixed(Instant.parse("2024-06-15T12:00:00Z"), ZoneOffset.UTC);

    private FlagFixtures() {}

    /** JSON with single quotes for readability: {@code {'a': 1}}. */
    static JsonNode json(String singleQuoted) {
        return Json.read(singleQuoted.replace('\'', '"'));
    }

    static FeatureFlag flag(String singleQuotedJson) {
        return FeatureFlag.fromJson(json(singleQuotedJson));
    }

    /** A flag {@code key} with the given {@code filters} object (single-quoted JSON). */
    static FeatureFlag flagWithFilters(String key, String filters) {
        return flag("{'id': 1, 'key': '" + key + "', 'active': true, 'filters': " + filters + "}");
    }

    /** A context for {@code distinctId} with properties given as key, JSON-value pairs. */
    static EvaluationContext person(String distinctId, String... keyJsonPairs) {
        return EvaluationContext.builder(distinctId).personProperties(props(keyJsonPairs)).clock(NOW).build();
    }

    static Map<String, JsonNode> props(String... keyJsonPairs) {
        Map<String, JsonNode> properties = new LinkedHashMap<>();
        for (int i = 0; i < keyJsonPairs.length; i += 2) {
            properties.put(keyJsonPairs[i], json(keyJsonPairs[i + 1]));
        }
        return properties;
    }
}
