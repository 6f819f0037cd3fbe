package dev.ingest.decide.api;

import dev.ingest.common.json.Json;
import dev.ingest.decide.store.AppConfigDraft;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and validates app writes: {@code {"app", "config", "position", "enabled"}}. Errors are 400s naming the field:
 * {@code app}, {@code position}, {@code enabled} or {@code config} (everything inside the config, as the flag API
 * does with {@code filters}; the detail names the key). The checks follow what plugin-service needs to build the
 * app, so a config it would refuse on every event is refused here instead; JavaScript is not compiled here.
 */
public final class AppInput {
    /** The apps plugin-service runs, in the order the error message lists them. */
    public static final List<String> APPS =
            List.of("geoip", "property-flattener", "event-filter", "webhook", "customerio", "js");
    static final int MAX_CONFIG_BYTES = 256 * 1024;
    static final int MAX_SOURCE_BYTES = 256 * 1024;
    private static final Set<String> WEBHOOK_METHODS = Set.of("POST", "PUT", "PATCH");
    private static final Set<String> FILTER_OPERATORS =
            Set.of("exact", "is_not", "contains", "icontains", "regex", "not_regex", "is_set", "is_not_set");

    private AppInput() {}

    /** {@code POST}: {@code app} required; {@code config} defaults to {}, {@code position} to 0, enabled to true. */
    public static AppConfigDraft forCreate(ObjectNode body) {
        String app = app(body);
        if (app == null) {
            throw ApiException.invalid("app", "This field is required. Apps: " + String.join(", ", APPS) + ".");
        }
        ObjectNode config = body.has("config") ? configField(body) : Json.object();
        checkConfig(app, config);
        Integer position = position(body);
        Boolean enabled = RequestJson.bool(body, "enabled");
        return new AppConfigDraft(app, config, position == null ? 0 : position, enabled == null || enabled);
    }

    /**
     * {@code PATCH}: the fields present replace the current ones; {@code config} replaces the whole config, except
     * the secrets it leaves out (see {@link AppSecrets}). The app itself cannot change. The stored config is not
     * re-checked when the body leaves it alone, so an app can always be disabled, reordered or deleted.
     */
    public static AppConfigDraft forPatch(AppConfigDraft current, ObjectNode body) {
        String app = app(body);
        if (body.has("app") && !current.app().equals(app)) {
            throw ApiException.invalid("app", "An app cannot be changed into another app; create a new one.");
        }
        JsonNode config = current.config();
        if (body.has("config")) {
            ObjectNode merged = AppSecrets.withStoredSecrets(current.app(), current.config(), configField(body));
            checkConfig(current.app(), merged);
            config = merged;
        }
        Integer position = position(body);
        Boolean enabled = RequestJson.bool(body, "enabled");
        return new AppConfigDraft(current.app(), config, position == null ? current.position() : position,
                enabled == null ? current.enabled() : enabled);
    }

    /** Checks a whole config for {@code app}. */
    static void checkConfig(String app, ObjectNode config) {
        if (!APPS.contains(app)) {
            throw unknownApp(app);
        }
        switch (app) {
            case "geoip" -> { }
            case "property-flattener" -> propertyFlattener(config);
            case "event-filter" -> eventFilter(config);
            case "webhook" -> webhook(config);
            case "customerio" -> customerIo(config);
            case "js" -> js(config);
            default -> throw unknownApp(app);
        }
        // After the app's own checks, so that an oversized JS source is reported as such.
        int size = Json.writeBytes(config).length;
        if (size > MAX_CONFIG_BYTES) {
            throw invalid("The config is " + size + " bytes serialized; at most " + MAX_CONFIG_BYTES + " are allowed.");
        }
    }

    private static void propertyFlattener(ObjectNode config) {
        String separator = optionalString(config, "separator");
        if (separator != null && (separator.isEmpty() || separator.length() > 10)) {
            throw invalid("config.separator must be 1 to 10 characters.");
        }
        JsonNode keep = config.get("keep_original");
        if (keep != null && !keep.isNull() && !keep.isBoolean()) {
            throw invalid("config.keep_original must be a boolean.");
        }
    }

    private static void eventFilter(ObjectNode config) {
        oneOf(config, "mode", Set.of("drop", "keep"));
        oneOf(config, "match", Set.of("all", "any"));
        int events = stringList(config, "events");
        JsonNode rules = config.get("properties");
        int ruleCount = 0;
        if (rules != null && !rules.isNull()) {
            if (!rules.isArray()) {
                throw invalid("config.properties must be a list of {\"key\", \"operator\", \"value\"} rules.");
            }
            for (JsonNode rule : rules) {
                ruleCount++;
                if (!rule.isObject() || !rule.path("key").isString() || rule.path("key").stringValue().isEmpty()) {
                    throw invalid("Every rule in config.properties needs a non-empty string key.");
                }
                JsonNode operator = rule.get("operator");
                if (operator != null && !operator.isNull() && !(operator.isString()
                        && FILTER_OPERATORS.contains(operator.stringValue().toLowerCase(Locale.ROOT)))) {
                    throw invalid("Unknown operator " + PropertyTrees.abbreviate(operator) + " in config.properties;"
                            + " operators: exact, is_not, contains, icontains, regex, not_regex, is_set, is_not_set.");
                }
            }
        }
        if (events == 0 && ruleCount == 0) {
            throw invalid("The event filter needs config.events or config.properties (or both).");
        }
    }

    private static void webhook(ObjectNode config) {
        String url = optionalString(config, "url");
        if (url == null || !isHttpUrl(url)) {
            throw invalid("config.url must be an absolute http(s) URL.");
        }
        String method = optionalString(config, "method");
        if (method != null && !WEBHOOK_METHODS.contains(method.toUpperCase(Locale.ROOT))) {
            throw invalid("config.method must be POST, PUT or PATCH.");
        }
        JsonNode headers = config.get("headers");
        if (headers != null && !headers.isNull()) {
            if (!headers.isObject()) {
                throw invalid("config.headers must be an object of header names to string values.");
            }
            for (Map.Entry<String, JsonNode> header : headers.properties()) {
                if (header.getKey().isBlank() || !header.getValue().isString()) {
                    throw invalid("config.headers must be an object of header names to string values.");
                }
            }
        }
        stringList(config, "events");
    }

    private static void customerIo(ObjectNode config) {
        requiredString(config, "siteId");
        String apiKey = requiredString(config, AppSecrets.API_KEY);
        if (AppSecrets.looksMasked(apiKey)) {
            throw invalid("config.apiKey is a masked value; send the real key (or leave it out of a PATCH to keep the"
                    + " stored one).");
        }
        String host = optionalString(config, "host");
        if (host != null && !isHttpUrl(host)) {
            throw invalid("config.host must be an absolute http(s) URL.");
        }
        oneOf(config, "identifyBy", Set.of("distinct_id", "email"));
        stringList(config, "events");
    }

    private static void js(ObjectNode config) {
        String source = requiredString(config, "source");
        int size = source.getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_SOURCE_BYTES) {
            throw invalid("config.source is " + size + " bytes; at most " + MAX_SOURCE_BYTES + " are allowed.");
        }
    }

    /** An absolute http or https URL with a host (where it points is checked when plugin-service sends). */
    static boolean isHttpUrl(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && !uri.getHost().isEmpty();
        } catch (URISyntaxException notAUri) {
            return false;
        }
    }

    private static String app(ObjectNode body) {
        String app = RequestJson.string(body, "app");
        if (app != null && !APPS.contains(app)) {
            throw unknownApp(app);
        }
        return app;
    }

    private static ObjectNode configField(ObjectNode body) {
        if (!(body.get("config") instanceof ObjectNode config)) {
            throw invalid("The config must be a JSON object.");
        }
        return config;
    }

    /** {@code position}: null when absent; an integer that fits in 32 bits otherwise. */
    private static Integer position(ObjectNode body) {
        JsonNode node = body.get("position");
        if (node == null) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw ApiException.invalid("position", node.isNull() ? "This field may not be null."
                    : "A valid integer is required.");
        }
        return node.intValue();
    }

    private static String optionalString(ObjectNode config, String key) {
        JsonNode node = config.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw invalid("config." + key + " must be a string.");
        }
        return node.stringValue();
    }

    private static String requiredString(ObjectNode config, String key) {
        String value = optionalString(config, key);
        if (value == null || value.isBlank()) {
            throw invalid("config." + key + " is required: a non-empty string.");
        }
        return value;
    }

    private static void oneOf(ObjectNode config, String key, Set<String> allowed) {
        String value = optionalString(config, key);
        if (value != null && !allowed.contains(value)) {
            throw invalid("config." + key + " must be one of " + String.join(", ", allowed.stream().sorted().toList())
                    + ".");
        }
    }

    /** An optional list of strings; returns its size (0 when absent). */
    private static int stringList(ObjectNode config, String key) {
        JsonNode list = config.get(key);
        if (list == null || list.isNull()) {
            return 0;
        }
        if (!list.isArray()) {
            throw invalid("config." + key + " must be a list of event names.");
        }
        for (JsonNode item : list) {
            if (!item.isString()) {
                throw invalid("config." + key + " must be a list of event names.");
            }
        }
        return list.size();
    }

    private static ApiException unknownApp(String app) {
        return ApiException.invalid("app", "\"" + PropertyTrees.abbreviate(app, 100) + "\" is not an app. Apps: "
                + String.join(", ", APPS) + ".");
    }

    private static ApiException invalid(String detail) {
        return ApiException.invalid("config", detail);
    }
}
