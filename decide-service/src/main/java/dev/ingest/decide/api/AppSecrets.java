package dev.ingest.decide.api;

import dev.ingest.common.app.AppConfigRules;
import dev.ingest.common.app.AppName;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The secrets inside app configs: {@code customerio}'s {@code apiKey}. Responses show it masked (only its last four
 * characters), and a PATCH whose config leaves it out, or sends the masked value back unchanged (a client that
 * re-sends what it read), keeps the stored key, unless the PATCH changes where the key is sent ({@code host}): then
 * the key must be sent again, so that someone who can edit an app but does not know its key cannot redirect the key
 * to a server of their own. Everything else in a config is returned as stored.
 */
final class AppSecrets {
    private static final String CUSTOMERIO = AppName.CUSTOMERIO.wire();
    private static final String API_KEY = AppConfigRules.CUSTOMERIO_API_KEY;
    /** The fields of a customerio config that say where its key is sent. */
    private static final List<String> KEY_DESTINATION = List.of("host");
    /** Every mask starts with this; a key that does is refused, so a mask is never stored as a key. */
    static final String MASK_PREFIX = "********";
    /** Shorter keys are masked entirely: four characters of them would be too much of the key. */
    private static final int MIN_LENGTH_TO_SHOW_TAIL = 12;

    private AppSecrets() {}

    /** {@code ********} and the secret's last four characters (nothing of a short secret). */
    static String mask(String secret) {
        if (secret.length() < MIN_LENGTH_TO_SHOW_TAIL) {
            return MASK_PREFIX;
        }
        return MASK_PREFIX + secret.substring(secret.length() - 4);
    }

    static boolean looksMasked(String value) {
        return value.startsWith(MASK_PREFIX);
    }

    /** The config as it may be shown: a copy with the secrets masked. */
    static JsonNode masked(String app, JsonNode config) {
        if (!CUSTOMERIO.equals(app) || !(config instanceof ObjectNode object)
                || !(object.get(API_KEY) instanceof JsonNode key) || !key.isString()) {
            return config;
        }
        ObjectNode copy = object.deepCopy();
        copy.put(API_KEY, mask(key.stringValue()));
        return copy;
    }

    /**
     * A PATCH's new config with the stored secrets carried over where the new config omits them or repeats their
     * mask; {@code incoming} itself is left alone.
     */
    static ObjectNode withStoredSecrets(String app, JsonNode stored, ObjectNode incoming) {
        if (!CUSTOMERIO.equals(app) || stored == null || !(stored.get(API_KEY) instanceof JsonNode storedKey)
                || !storedKey.isString()) {
            return incoming;
        }
        JsonNode sent = incoming.get(API_KEY);
        boolean keep = sent == null || sent.isString() && sent.stringValue().equals(mask(storedKey.stringValue()));
        if (!keep) {
            return incoming;
        }
        for (String field : KEY_DESTINATION) {
            if (!Objects.equals(stored.get(field), incoming.get(field))) {
                throw ApiException.invalid("config", "config." + field + " changes where the stored apiKey is sent:"
                        + " send config.apiKey again with it");
            }
        }
        ObjectNode merged = incoming.deepCopy();
        merged.set(API_KEY, storedKey);
        return merged;
    }
}
