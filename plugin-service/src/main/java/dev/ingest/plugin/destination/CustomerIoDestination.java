package dev.ingest.plugin.destination;

import dev.ingest.common.app.AppConfigRules;
import dev.ingest.common.app.AppName;
import dev.ingest.common.json.Json;
import dev.ingest.plugin.apps.AppContext;
import dev.ingest.plugin.apps.WebhookComposer;
import dev.ingest.plugin.apps.WebhookRequest;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code customerio} destination, in the shape of Customer.io's Track API v1 (Basic auth with
 * {@code siteId:apiKey}):
 * <ul>
 *   <li>{@code $identify}: {@code PUT /api/v1/customers/{id}} with the person's properties (and the event's
 *       {@code $set}) as attributes;</li>
 *   <li>{@code $pageview}: {@code POST /api/v1/customers/{id}/events} with {@code type: "page"} and the page URL
 *       as the name;</li>
 *   <li>any other event: {@code POST /api/v1/customers/{id}/events} with {@code name}, {@code data} (the event's
 *       properties) and {@code timestamp} (unix seconds);</li>
 *   <li>with {@code "identifyBy": "email"} and no email on the person: {@code POST /api/v1/events} as an anonymous
 *       event ({@code anonymous_id} = distinct id); {@code $identify} is then skipped.</li>
 * </ul>
 * Config: {@code {"siteId": "...", "apiKey": "...", "host": "https://track.customer.io" (default; track-eu for the
 * EU region), "identifyBy": "distinct_id" (default) or "email", "events": [names] (optional filter)}}.
 */
public final class CustomerIoDestination implements WebhookComposer {
    public static final String DEFAULT_HOST = "https://track.customer.io";

    private final String host;
    private final String authorization;
    private final boolean byEmail;
    private final Set<String> events;

    private CustomerIoDestination(String host, String authorization, boolean byEmail, Set<String> events) {
        this.host = host;
        this.authorization = authorization;
        this.byEmail = byEmail;
        this.events = events;
    }

    /** The destination a config describes; a config that breaks {@link AppConfigRules} is refused with the problem. */
    public static CustomerIoDestination fromConfig(JsonNode config) {
        AppConfigRules.requireValid(AppName.CUSTOMERIO, config);
        String siteId = config.get("siteId").asString();
        String apiKey = config.get(AppConfigRules.CUSTOMERIO_API_KEY).asString();
        String host = config.path("host").asString(DEFAULT_HOST).replaceAll("/+$", "");
        new WebhookRequest("POST", URI.create(host + "/api/v1/events"), Map.of(), null); // the request's own checks
        String identifyBy = config.path("identifyBy").asString("distinct_id");
        Set<String> events = new LinkedHashSet<>();
        config.path("events").forEach(e -> events.add(e.asString()));
        String credentials = Base64.getEncoder().encodeToString((siteId + ":" + apiKey).getBytes(StandardCharsets.UTF_8));
        return new CustomerIoDestination(host, "Basic " + credentials, identifyBy.equals("email"), Set.copyOf(events));
    }

    @Override
    public Optional<WebhookRequest> composeWebhook(ObjectNode event, AppContext meta) {
        String name = event.path("event").asString("");
        if (!events.isEmpty() && !events.contains(name)) {
            return Optional.empty();
        }
        JsonNode properties = event.path("properties").isObject() ? event.get("properties") : Json.object();
        String identifier = byEmail ? email(event) : event.path("distinct_id").asString("");
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (name.equals("$identify")) {
            if (identifier == null || identifier.isEmpty()) {
                return Optional.empty();
            }
            ObjectNode attributes = body;
            if (event.path("person").path("properties").isObject()) {
                attributes.setAll((ObjectNode) event.path("person").path("properties"));
            }
            if (properties.path("$set").isObject()) {
                attributes.setAll((ObjectNode) properties.get("$set"));
            }
            return Optional.of(request("PUT", "/api/v1/customers/" + encode(identifier), attributes));
        }
        if (name.equals("$pageview")) {
            body.put("type", "page");
            body.put("name", properties.path("$current_url").asString(name));
        } else {
            body.put("name", name);
        }
        body.set("data", properties);
        epochSeconds(event.path("timestamp").asString("")).ifPresent(seconds -> body.put("timestamp", seconds));
        if (identifier == null || identifier.isEmpty()) {
            body.put("anonymous_id", event.path("distinct_id").asString(""));
            return Optional.of(request("POST", "/api/v1/events", body));
        }
        return Optional.of(request("POST", "/api/v1/customers/" + encode(identifier) + "/events", body));
    }

    private WebhookRequest request(String method, String path, ObjectNode body) {
        return new WebhookRequest(method, URI.create(host + path),
                Map.of("Authorization", authorization, "Content-Type", "application/json"), Json.write(body));
    }

    private static String email(ObjectNode event) {
        String fromSet = event.path("properties").path("$set").path("email").asString("");
        return !fromSet.isEmpty() ? fromSet : event.path("person").path("properties").path("email").asString("");
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Optional<Long> epochSeconds(String timestamp) {
        try {
            return Optional.of(Instant.parse(timestamp).getEpochSecond());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
