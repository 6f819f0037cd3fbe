package dev.ingest.decide.api;

import tools.jackson.databind.node.ObjectNode;

/**
 * A project create or update request, validated.
 *
 * @param name null when a PATCH leaves it unchanged
 * @param anonymizeIps null when unchanged
 * @param personProcessingOptOut null when unchanged
 */
public record ProjectInput(String name, Boolean anonymizeIps, Boolean personProcessingOptOut) {
    static final int MAX_NAME_LENGTH = 200;

    /** {@code POST}: {@code name} required, {@code anonymize_ips} optional (false). */
    public static ProjectInput forCreate(ObjectNode body) {
        String name = name(body);
        if (name == null) {
            throw ApiException.invalid("name", "This field is required.");
        }
        Boolean anonymizeIps = RequestJson.bool(body, "anonymize_ips");
        return new ProjectInput(name, anonymizeIps != null && anonymizeIps, null);
    }

    /** {@code PATCH}: any of {@code name}, {@code anonymize_ips}, {@code person_processing_opt_out}. */
    public static ProjectInput forPatch(ObjectNode body) {
        if (body.has("name") && body.get("name").isNull()) {
            throw ApiException.invalid("name", "This field may not be null.");
        }
        return new ProjectInput(name(body), RequestJson.bool(body, "anonymize_ips"),
                RequestJson.bool(body, "person_processing_opt_out"));
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
