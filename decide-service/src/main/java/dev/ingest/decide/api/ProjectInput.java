package dev.ingest.decide.api;

import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A project create or update request, validated.
 *
 * @param name null when a PATCH leaves it unchanged
 * @param anonymizeIps null when unchanged
 * @param personProcessingOptOut null when unchanged
 * @param dropEventsOlderThanSeconds null when unchanged; empty to turn dropping off, else the age in seconds
 * @param heatmapsOptIn null when unchanged
 * @param cookielessServerHashMode null when unchanged; 0 (off) or 1 (stateless)
 */
public record ProjectInput(String name, Boolean anonymizeIps, Boolean personProcessingOptOut,
        Optional<Integer> dropEventsOlderThanSeconds, Boolean heatmapsOptIn, Integer cookielessServerHashMode) {
    static final int MAX_NAME_LENGTH = 200;
    static final int MAX_DROP_AGE_SECONDS = 10 * 366 * 24 * 3600;

    public ProjectInput(String name, Boolean anonymizeIps, Boolean personProcessingOptOut) {
        this(name, anonymizeIps, personProcessingOptOut, null, null, null);
    }

    /** {@code POST}: {@code name} required, {@code anonymize_ips} optional (false). */
    public static ProjectInput forCreate(ObjectNode body) {
        String name = name(body);
        if (name == null) {
            throw ApiException.invalid("name", "This field is required.");
        }
        Boolean anonymizeIps = RequestJson.bool(body, "anonymize_ips");
        return new ProjectInput(name, anonymizeIps != null && anonymizeIps, null);
    }

    /**
     * {@code PATCH}: any of {@code name}, {@code anonymize_ips}, {@code person_processing_opt_out},
     * {@code drop_events_older_than_seconds}, {@code heatmaps_opt_in}, {@code cookieless_server_hash_mode}.
     */
    public static ProjectInput forPatch(ObjectNode body) {
        if (body.has("name") && body.get("name").isNull()) {
            throw ApiException.invalid("name", "This field may not be null.");
        }
        return new ProjectInput(name(body), RequestJson.bool(body, "anonymize_ips"),
                RequestJson.bool(body, "person_processing_opt_out"), dropEventsOlderThan(body),
                RequestJson.bool(body, "heatmaps_opt_in"), cookielessMode(body));
    }

    /** PostHog's modes: 0 off, 1 stateless; 2 (stateful, which keeps identify state per visitor) is not built here. */
    private static Integer cookielessMode(ObjectNode body) {
        JsonNode value = body.get("cookieless_server_hash_mode");
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || (value.intValue() != 0 && value.intValue() != 1)) {
            throw ApiException.invalid("cookieless_server_hash_mode", "Expected 0 (off) or 1 (stateless); the stateful"
                    + " mode (2) is not supported by this platform.");
        }
        return value.intValue();
    }

    /** {@code drop_events_older_than_seconds}: null (or 0) for never, else whole seconds up to ten years. */
    private static Optional<Integer> dropEventsOlderThan(ObjectNode body) {
        if (!body.has("drop_events_older_than_seconds")) {
            return null;
        }
        JsonNode value = body.get("drop_events_older_than_seconds");
        if (value.isNull()) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0
                || value.intValue() > MAX_DROP_AGE_SECONDS) {
            throw ApiException.invalid("drop_events_older_than_seconds", "Expected null or a whole number of seconds"
                    + " from 0 to " + MAX_DROP_AGE_SECONDS + ".");
        }
        return value.intValue() == 0 ? Optional.empty() : Optional.of(value.intValue());
    }

    private static String name(ObjectNode body) {
        String name = RequestJson.string(body, "name");
        if (name == null) {
            return null;
        }
        if (name.isBlank()) {
            throw ApiException.invalid("name", "This field may not be blank.");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw ApiException.invalid("name", "Ensure this field has no more than " + MAX_NAME_LENGTH + " characters.");
        }
        return name;
    }
}
