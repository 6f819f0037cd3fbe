package dev.ingest.plugin.apps;

import dev.ingest.common.app.AppConfigRules;
import dev.ingest.common.app.AppName;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The property flattener (PostHog's flatten-properties plugin): nested objects in {@code properties} become
 * {@code parent__child} keys and arrays are flattened by index ({@code list__0}), recursively.
 * <p>
 * What is flattened, exactly:
 * <ul>
 * <li>Only {@code properties}; top-level fields of the event ({@code $set}, {@code timestamp}, ...) are untouched.</li>
 * <li>A property whose key starts with {@code $} is left as it is, nested or not: those are PostHog's own
 * ({@code $set}, {@code $set_once}, {@code $unset}, {@code $groups}, {@code $elements}, {@code $feature_flag_payloads}
 * ...) and later steps read their structure. Inside a user object, keys starting with {@code $} are flattened like
 * any other ({@code a: {$b: 1}} gives {@code a__$b}).</li>
 * <li>Empty objects and arrays are leaves: at the top they stay as they are, nested they are written as the value
 * ({@code a: {b: {}}} gives {@code a__b: {}}). Below {@value #MAX_DEPTH} levels the rest is kept as one value.</li>
 * <li>The nested original is replaced by its flattened keys, unless {@code "keep_original": true} (PostHog's plugin
 * keeps both). A flattened key wins over an existing property of the same name, as in PostHog's plugin.</li>
 * </ul>
 * Config: {@code {"separator": "__", "keep_original": false}}; the separator is 1 to 10 characters.
 */
public final class PropertyFlattener implements EventTransformer {
    static final int MAX_DEPTH = 32;
    public static final String DEFAULT_SEPARATOR = "__";

    private final String separator;
    private final boolean keepOriginal;

    public PropertyFlattener(String separator, boolean keepOriginal) {
        if (separator == null || separator.isEmpty() || separator.length() > 10) {
            throw new IllegalArgumentException("separator must be 1 to 10 characters");
        }
        this.separator = separator;
        this.keepOriginal = keepOriginal;
    }

    /** The flattener a config describes; a config that breaks {@link AppConfigRules} is refused with the problem. */
    public static PropertyFlattener fromConfig(JsonNode config) {
        AppConfigRules.requireValid(AppName.PROPERTY_FLATTENER, config);
        JsonNode separator = config.get("separator");
        return new PropertyFlattener(separator == null || separator.isNull() ? DEFAULT_SEPARATOR : separator.asString(),
                config.path("keep_original").asBoolean(false));
    }

    @Override
    public AppResult processEvent(ObjectNode event, AppContext meta) {
        if (!(event.get("properties") instanceof ObjectNode properties)) {
            return AppResult.keep(event);
        }
        boolean nested = false;
        for (Map.Entry<String, JsonNode> property : properties.properties()) {
            if (flattens(property.getKey(), property.getValue())) {
                nested = true;
                break;
            }
        }
        if (!nested) {
            return AppResult.keep(event);
        }
        Map<String, JsonNode> plain = new LinkedHashMap<>();
        Map<String, JsonNode> flattened = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> property : properties.properties()) {
            String key = property.getKey();
            JsonNode value = property.getValue();
            if (flattens(key, value)) {
                if (keepOriginal) {
                    plain.put(key, value);
                }
                flatten(key, value, flattened, 1);
            } else {
                plain.put(key, value);
            }
        }
        plain.putAll(flattened);
        properties.removeAll();
        properties.setAll(plain);
        return AppResult.keep(event);
    }

    private static boolean flattens(String key, JsonNode value) {
        return !key.startsWith("$") && value.isContainer() && !value.isEmpty();
    }

    private void flatten(String prefix, JsonNode container, Map<String, JsonNode> out, int depth) {
        if (container.isObject()) {
            for (Map.Entry<String, JsonNode> child : container.properties()) {
                put(prefix + separator + child.getKey(), child.getValue(), out, depth);
            }
        } else {
            for (int i = 0; i < container.size(); i++) {
                put(prefix + separator + i, container.get(i), out, depth);
            }
        }
    }

    private void put(String key, JsonNode value, Map<String, JsonNode> out, int depth) {
        if (value.isContainer() && !value.isEmpty() && depth < MAX_DEPTH) {
            flatten(key, value, out, depth + 1);
        } else {
            out.put(key, value);
        }
    }
}
