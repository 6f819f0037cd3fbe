package dev.ingest.decide.evaluation;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A flags request as the SDKs send it (POSTHOG_SPEC §4.1, sdk-wire/WIRE.md), decoded.
 *
 * @param flagKeys only these flags ({@code flag_keys_to_evaluate} / {@code flag_keys}), or null for all
 */
public record DecideRequest(
        String token,
        String distinctId,
        String anonDistinctId,
        String deviceId,
        Map<String, String> groups,
        Map<String, JsonNode> personProperties,
        Map<String, Map<String, JsonNode>> groupProperties,
        List<String> flagKeys,
        boolean disableFlags) {}
