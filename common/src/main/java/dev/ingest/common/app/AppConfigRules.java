package dev.ingest.common.app;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.ingest.common.json.Json;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * What makes an app's config valid: the one definition both services use. decide-service refuses a write that
 * breaks a rule (a 400 naming {@code config}, with the problem as its detail), so that a config plugin-service would
 * refuse on every event is refused when it is written; plugin-service checks again when it builds the app (rows
 * written before a rule existed, or by hand), and then runs an app that fails on every event with the same detail.
 * JavaScript is not compiled here: a syntax error is found when plugin-service builds the app.
 */
public final class AppConfigRules {
    /** A config's serialized size limit: it is read on every reload of a project's apps. */
    public static final int MAX_CONFIG_BYTES = 256 * 1024;
    /** A JS app's source size limit, in UTF-8 bytes. */
    public static final int MAX_SOURCE_BYTES = 256 * 1024;
    /** The customerio field that holds its secret key. */
    public static final String CUSTOMERIO_API_KEY = "apiKey";
    private static final Set<String> WEBHOOK_METHODS = Set.of("POST", "PUT", "PATCH");
    /** The event filter's operators, as written (case-insensitive). */
    public static final Set<String> FILTER_OPERATORS =
            Set.of("exact", "is_not", "contains", "icontains", "regex", "not_regex", "is_set", "is_not_set");
    private static final int SHOWN_VALUE_LENGTH = 100;

    private AppConfigRules() {}

    /** A broken rule: what is wrong, in words a user can act on. */
    private static final class Problem extends RuntimeException {
        Problem(String detail) {
            super(detail, null, false, false);
        }
    }

    /** The longest call a JS app may ask for with {@code timeoutMs} (the operator's limit may be lower still). */
    public static final int JS_MAX_TIMEOUT_MS = 1000;
    /** The longest pattern a {@code regex} / {@code not_regex} rule may have. */
    public static final int MAX_PATTERN_LENGTH = 1000;
    private static final Set<String> SINGLE_VALUE_OPERATORS = Set.of("contains", "icontains", "regex", "not_regex");
    private static final Set<String> VALUELESS_OPERATORS = Set.of("is_set", "is_not_set");

    /** Throws {@link IllegalArgumentException} with the problem when {@code config} breaks a rule for {@code app}. */
    public static void requireValid(AppName app, JsonNode config) {
        problem(app, config).ifPresent(detail -> {
            throw new IllegalArgumentException(detail);
        });
    }

    /** The first rule {@code config} breaks for {@code app}, or empty when it is valid. */
    public static Optional<String> problem(AppName app, JsonNode config) {
        if (config == null || !config.isObject()) {
            return Optional.of("The config must be a JSON object.");
        }
        try {
            switch (app) {
                case GEOIP -> { }
                case PROPERTY_FLATTENER -> propertyFlattener(config);
                case EVENT_FILTER -> eventFilter(config);
                case WEBHOOK -> webhook(config);
                case CUSTOMERIO -> customerIo(config);
                case JS -> js(config);
            }
        } catch (Problem problem) {
            return Optional.of(problem.getMessage());
        }
        // After the app's own checks, so that an oversized JS source is reported as such.
        int size = Json.writeBytes(config).length;
        if (size > MAX_CONFIG_BYTES) {
            return Optional.of("The config is " + size + " bytes serialized; at most " + MAX_CONFIG_BYTES
                    + " are allowed.");
        }
        return Optional.empty();
    }

    /** The message for a name that is not an app. */
    public static String unknownApp(String name) {
        return "\"" + shown(name) + "\" is not an app. Apps: " + AppName.LIST + ".";
    }

    /** A value as an error message shows it: at most 100 characters. */
    public static String shown(String text) {
        return text == null || text.length() <= SHOWN_VALUE_LENGTH ? text
                : text.substring(0, SHOWN_VALUE_LENGTH) + "...";
    }

    private static void propertyFlattener(JsonNode config) {
        String separator = optionalString(config, "separator");
        if (separator != null && (separator.isEmpty() || separator.length() > 10)) {
            throw new Problem("config.separator must be 1 to 10 characters.");
        }
        JsonNode keep = config.get("keep_original");
        if (keep != null && !keep.isNull() && !keep.isBoolean()) {
            throw new Problem("config.keep_original must be a boolean.");
        }
    }

    private static void eventFilter(JsonNode config) {
        oneOf(config, "mode", Set.of("drop", "keep"));
        oneOf(config, "match", Set.of("all", "any"));
        int events = stringList(config, "events");
        JsonNode rules = config.get("properties");
        int ruleCount = 0;
        if (rules != null && !rules.isNull()) {
            if (!rules.isArray()) {
                throw new Problem("config.properties must be a list of {\"key\", \"operator\", \"value\"} rules.");
            }
            for (JsonNode rule : rules) {
                ruleCount++;
                if (!rule.isObject() || !rule.path("key").isString() || rule.path("key").stringValue().isEmpty()) {
                    throw new Problem("Every rule in config.properties needs a non-empty string key.");
                }
                filterRule(rule);
            }
        }
        if (events == 0 && ruleCount == 0) {
            throw new Problem("The event filter needs config.events or config.properties (or both).");
        }
    }

    private static void filterRule(JsonNode rule) {
        String key = rule.get("key").stringValue();
        JsonNode operatorNode = rule.get("operator");
        String operator = "exact";
        if (operatorNode != null && !operatorNode.isNull()) {
            operator = operatorNode.isString() ? operatorNode.stringValue().toLowerCase(Locale.ROOT) : "";
            if (!FILTER_OPERATORS.contains(operator)) {
                throw new Problem("Unknown operator " + shown(operatorNode.toString()) + " in config.properties;"
                        + " operators: exact, is_not, contains, icontains, regex, not_regex, is_set, is_not_set.");
            }
        }
        JsonNode value = rule.get("value");
        int values = value == null || value.isNull() ? 0 : value.isArray() ? value.size() : 1;
        if (!VALUELESS_OPERATORS.contains(operator) && values == 0) {
            throw new Problem("The rule on " + shown(key) + " in config.properties needs a value.");
        }
        if (SINGLE_VALUE_OPERATORS.contains(operator) && values != 1) {
            throw new Problem("The rule on " + shown(key) + " in config.properties takes exactly one value.");
        }
        if (operator.equals("regex") || operator.equals("not_regex")) {
            JsonNode only = value.isArray() ? value.get(0) : value;
            String pattern = only.isString() ? only.stringValue() : only.toString();
            if (pattern.length() > MAX_PATTERN_LENGTH) {
                throw new Problem("The pattern of the rule on " + shown(key) + " in config.properties is longer than "
                        + MAX_PATTERN_LENGTH + " characters.");
            }
            try {
                Pattern.compile(pattern);
            } catch (PatternSyntaxException e) {
                throw new Problem("The pattern of the rule on " + shown(key) + " in config.properties is not valid"
                        + " RE2 syntax: " + shown(e.getDescription()) + ".");
            }
        }
    }

    private static void webhook(JsonNode config) {
        String url = optionalString(config, "url");
        if (url == null || !isHttpUrl(url)) {
            throw new Problem("config.url must be an absolute http(s) URL.");
        }
        String method = optionalString(config, "method");
        if (method != null && !WEBHOOK_METHODS.contains(method.toUpperCase(Locale.ROOT))) {
            throw new Problem("config.method must be POST, PUT or PATCH.");
        }
        JsonNode headers = config.get("headers");
        if (headers != null && !headers.isNull()) {
            if (!headers.isObject()) {
                throw new Problem("config.headers must be an object of header names to string values.");
            }
            for (Map.Entry<String, JsonNode> header : headers.properties()) {
                if (header.getKey().isBlank() || !header.getValue().isString()) {
                    throw new Problem("config.headers must be an object of header names to string values.");
                }
            }
        }
        stringList(config, "events");
    }

    private static void customerIo(JsonNode config) {
        requiredString(config, "siteId");
        requiredString(config, CUSTOMERIO_API_KEY);
        String host = optionalString(config, "host");
        if (host != null && !isHttpUrl(host)) {
            throw new Problem("config.host must be an absolute http(s) URL.");
        }
        oneOf(config, "identifyBy", Set.of("distinct_id", "email"));
        stringList(config, "events");
    }

    private static void js(JsonNode config) {
        String source = requiredString(config, "source");
        int size = source.getBytes(StandardCharsets.UTF_8).length;
        if (size > MAX_SOURCE_BYTES) {
            throw new Problem("config.source is " + size + " bytes; at most " + MAX_SOURCE_BYTES + " are allowed.");
        }
        JsonNode timeoutMs = config.get("timeoutMs");
        if (timeoutMs != null && !timeoutMs.isNull() && (!timeoutMs.isIntegralNumber() || timeoutMs.asLong() < 1
                || timeoutMs.asLong() > JS_MAX_TIMEOUT_MS)) {
            throw new Problem("config.timeoutMs must be an integer from 1 to " + JS_MAX_TIMEOUT_MS + ".");
        }
    }

    /** An absolute http or https URL with a host (where it points is checked when plugin-service sends). */
    public static boolean isHttpUrl(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && !uri.getHost().isEmpty();
        } catch (URISyntaxException notAUri) {
            return false;
        }
    }

    private static String optionalString(JsonNode config, String key) {
        JsonNode node = config.get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw new Problem("config." + key + " must be a string.");
        }
        return node.stringValue();
    }

    private static String requiredString(JsonNode config, String key) {
        String value = optionalString(config, key);
        if (value == null || value.isBlank()) {
            throw new Problem("config." + key + " is required: a non-empty string.");
        }
        return value;
    }

    private static void oneOf(JsonNode config, String key, Set<String> allowed) {
        String value = optionalString(config, key);
        if (value != null && !allowed.contains(value)) {
            throw new Problem("config." + key + " must be one of "
                    + String.join(", ", allowed.stream().sorted().toList()) + ".");
        }
    }

    /** An optional list of strings; returns its size (0 when absent). */
    private static int stringList(JsonNode config, String key) {
        JsonNode list = config.get(key);
        if (list == null || list.isNull()) {
            return 0;
        }
        if (!list.isArray()) {
            throw new Problem("config." + key + " must be a list of event names.");
        }
        for (JsonNode item : list) {
            if (!item.isString()) {
                throw new Problem("config." + key + " must be a list of event names.");
            }
        }
        return list.size();
    }
}
