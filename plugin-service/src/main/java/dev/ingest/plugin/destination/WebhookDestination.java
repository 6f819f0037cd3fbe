package dev.ingest.plugin.destination;

import dev.ingest.common.app.AppConfigRules;
import dev.ingest.common.app.AppName;
import dev.ingest.common.json.Json;
import dev.ingest.plugin.apps.AppContext;
import dev.ingest.plugin.apps.WebhookComposer;
import dev.ingest.plugin.apps.WebhookRequest;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code webhook} app: POSTs each event (or a body built from a template) to a URL. Config:
 * <pre>{@code
 * {"url": "https://example.com/hook",       required, http(s)
 *  "method": "POST",                          POST (default), PUT or PATCH
 *  "headers": {"Authorization": "Bearer x"},  optional
 *  "events": ["$pageview", "signed_up"],      optional: only these events (default: all)
 *  "template": {"text": "{{event}} by {{person.properties.email}}", "props": "{{properties}}"}}
 * }</pre>
 * Without a template the body is the whole processed event. A template is any JSON value: a string that is exactly
 * one placeholder becomes the value at that path with its JSON type ({@code "{{properties}}"} is an object); other
 * strings get each placeholder's text spliced in; a missing path gives null (or an empty string inside text).
 * Paths are dotted: {@code event}, {@code uuid}, {@code distinct_id}, {@code timestamp}, {@code team_id},
 * {@code properties.$current_url}, {@code person.properties.email}, {@code elements_chain}.
 */
public final class WebhookDestination implements WebhookComposer {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^{}\\s]+)\\s*}}");

    private final URI url;
    private final String method;
    private final Map<String, String> headers;
    private final Set<String> events;
    private final JsonNode template;

    private WebhookDestination(URI url, String method, Map<String, String> headers, Set<String> events, JsonNode template) {
        this.url = url;
        this.method = method;
        this.headers = headers;
        this.events = events;
        this.template = template;
    }

    /** The destination a config describes; a config that breaks {@link AppConfigRules} is refused with the problem. */
    public static WebhookDestination fromConfig(JsonNode config) {
        AppConfigRules.requireValid(AppName.WEBHOOK, config);
        URI url = URI.create(config.get("url").asString());
        String method = config.path("method").asString("POST").toUpperCase(Locale.ROOT);
        new WebhookRequest(method, url, Map.of(), null); // the request's own checks: scheme, host, method
        Map<String, String> headers = new LinkedHashMap<>();
        config.path("headers").properties().forEach(h -> headers.put(h.getKey(), h.getValue().asString()));
        Set<String> events = new LinkedHashSet<>();
        config.path("events").forEach(e -> events.add(e.asString()));
        JsonNode template = config.get("template");
        return new WebhookDestination(url, method, Map.copyOf(headers), Set.copyOf(events),
                template == null || template.isNull() ? null : template);
    }

    @Override
    public Optional<WebhookRequest> composeWebhook(ObjectNode event, AppContext meta) {
        if (!events.isEmpty() && !events.contains(event.path("event").asString(""))) {
            return Optional.empty();
        }
        JsonNode body = template == null ? event : render(template, event);
        Map<String, String> requestHeaders = new LinkedHashMap<>(headers);
        if (requestHeaders.keySet().stream().noneMatch(k -> k.equalsIgnoreCase("content-type"))) {
            requestHeaders.put("Content-Type", "application/json");
        }
        return Optional.of(new WebhookRequest(method, url, requestHeaders, Json.write(body)));
    }

    static JsonNode render(JsonNode template, JsonNode event) {
        if (template.isString()) {
            String text = template.asString();
            Matcher whole = PLACEHOLDER.matcher(text);
            if (whole.matches()) {
                JsonNode value = lookup(event, whole.group(1));
                return value == null ? JsonNodeFactory.instance.nullNode() : value.deepCopy();
            }
            Matcher m = PLACEHOLDER.matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                JsonNode value = lookup(event, m.group(1));
                String replacement = value == null || value.isNull() ? ""
                        : value.isValueNode() ? value.asString() : Json.write(value);
                m.appendReplacement(out, Matcher.quoteReplacement(replacement));
            }
            m.appendTail(out);
            return JsonNodeFactory.instance.stringNode(out.toString());
        }
        if (template.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            template.properties().forEach(e -> out.set(e.getKey(), render(e.getValue(), event)));
            return out;
        }
        if (template.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            template.forEach(item -> out.add(render(item, event)));
            return out;
        }
        return template;
    }

    private static JsonNode lookup(JsonNode event, String path) {
        JsonNode node = event;
        for (String part : path.split("\\.")) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(part);
        }
        return node;
    }
}
