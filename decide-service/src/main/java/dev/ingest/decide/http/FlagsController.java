package dev.ingest.decide.http;

import dev.ingest.common.http.BudgetedBodyFilter;
import dev.ingest.common.json.Json;
import dev.ingest.common.memory.MemoryBudget;
import dev.ingest.decide.config.DecideProperties;
import dev.ingest.decide.evaluation.DecideRequest;
import dev.ingest.decide.evaluation.FlagService;
import dev.ingest.decide.evaluation.Project;
import dev.ingest.decide.evaluation.ProjectTokens;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code /decide} (v1-v4) and {@code /flags} (v1, v2): the flag endpoints the SDKs call. */
@RestController
public class FlagsController {
    private final FlagService flags;
    private final ProjectTokens projects;
    private final DecideRequestDecoder decoder;
    private final long maxBodyBytes;
    private final CookielessDistinctIds cookieless;

    public FlagsController(FlagService flags, ProjectTokens projects, DecideProperties properties,
            CookielessDistinctIds cookieless) {
        this.flags = flags;
        this.projects = projects;
        this.cookieless = cookieless;
        this.maxBodyBytes = properties.maxBodySize().toBytes();
        this.decoder = new DecideRequestDecoder(maxBodyBytes);
    }

    /** A bare GET: the minimal configuration PostHog answers (docs/posthog-compatibility.md#feature-flags). */
    @GetMapping(path = {"/decide", "/decide/"}, produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> minimalConfig() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("config", Map.of("enable_collect_everything", true));
        body.put("toolbarParams", Map.of());
        body.put("isAuthenticated", false);
        body.put("supportedCompression", List.of("gzip", "gzip-js"));
        body.put("featureFlags", List.of());
        body.put("sessionRecording", false);
        return body;
    }

    @PostMapping(path = {"/decide", "/decide/"}, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<byte[]> decide(HttpServletRequest http) {
        Evaluated evaluated = evaluate(http);
        int version = version(http.getParameter("v"), 1);
        return JsonBody.ok(FlagResponses.decide(version, evaluated.evaluation(), evaluated.hasFlags(), evaluated.heatmaps()));
    }

    @PostMapping(path = {"/flags", "/flags/"}, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<byte[]> flags(HttpServletRequest http) {
        Evaluated evaluated = evaluate(http);
        int version = version(http.getParameter("v"), 1);
        return JsonBody.ok(FlagResponses.flags(version, evaluated.evaluation(), "true".equals(http.getParameter("config")),
                evaluated.hasFlags(), evaluated.heatmaps()));
    }

    private record Evaluated(FlagService.Evaluation evaluation, boolean hasFlags, boolean heatmaps) {}

    private Evaluated evaluate(HttpServletRequest http) {
        Map<String, String> query = new HashMap<>();
        if (http.getQueryString() != null) {
            query.putAll(DecideRequestDecoder.form(http.getQueryString()));
        }
        ObjectNode body = decoder.decode(readBody(http), http.getContentType(), query, lease(http));
        String token = firstText(body.get("token"), body.get("api_key"), body.get("$token"));
        if (token == null) {
            token = query.get("token");
        }
        if (token == null || token.isBlank()) {
            throw new DecideException(401, "authentication_error", "no_api_key",
                    "No project API key provided. You can find your project API key in PostHog project settings.");
        }
        // PostgreSQL refuses a NUL in a text parameter; no project token holds one, so it is unknown, not an outage.
        Optional<Project> project = token.indexOf('\0') >= 0 ? Optional.empty() : projects.byToken(token.strip());
        if (project.isEmpty()) {
            throw new DecideException(401, "authentication_error", "invalid_api_key",
                    "Project API key invalid. You can find your project API key in PostHog project settings.");
        }
        DecideRequest request = DecideRequestDecoder.request(body, token).withHeaders(http.getHeader("User-Agent"),
                http.getHeader("Origin") != null || http.getHeader("Referer") != null
                        || http.getHeader("Sec-Fetch-Mode") != null || http.getHeader("Sec-Fetch-Site") != null);
        if (request.disableFlags()) {
            return new Evaluated(new FlagService.Evaluation(Map.of(), Map.of(), false), false,
                    project.get().heatmapsOptIn());
        }
        if (request.distinctId() == null || request.distinctId().isEmpty()) {
            throw new DecideException(400, "validation_error", "missing_distinct_id", "Decide requires a distinct_id.");
        }
        if (CookielessDistinctIds.applies(project.get(), request.distinctId())) {
            request = request.withDistinctId(cookieless.resolve(project.get(), http, body, query));
        }
        FlagService.Evaluation evaluation = flags.evaluate(project.get(), request);
        return new Evaluated(evaluation, !flags.definitions(project.get()).flags().isEmpty(),
                project.get().heatmapsOptIn());
    }

    /** {@code v} as an integer; what does not parse (v=2.1, v=abc) counts as 2, a missing one as the default. */
    static int version(String value, int missing) {
        if (value == null || value.isBlank()) {
            return missing;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return 2;
        }
    }

    private byte[] readBody(HttpServletRequest http) {
        if (http.getContentLengthLong() > maxBodyBytes) {
            throw new DecideException(413, "validation_error", "payload_too_large", "Request body exceeds " + maxBodyBytes + " bytes");
        }
        try (InputStream in = http.getInputStream()) {
            byte[] body = in.readNBytes((int) maxBodyBytes + 1);
            if (body.length > maxBodyBytes) {
                throw new DecideException(413, "validation_error", "payload_too_large", "Request body exceeds " + maxBodyBytes + " bytes");
            }
            return body;
        } catch (IOException e) {
            throw DecideException.malformed("could not read the body");
        }
    }

    /** The request's lease from {@link BudgetedBodyFilter}; a request that did not pass it is charged nowhere. */
    private static MemoryBudget.Lease lease(HttpServletRequest http) {
        return http.getAttribute(BudgetedBodyFilter.LEASE) instanceof MemoryBudget.Lease lease
                ? lease
                : new MemoryBudget(Long.MAX_VALUE).lease(Long.MAX_VALUE);
    }

    private static String firstText(JsonNode... nodes) {
        for (JsonNode node : nodes) {
            if (node != null && node.isString() && !node.asString().isBlank()) {
                return node.asString();
            }
        }
        return null;
    }

    static String json(Object value) {
        return Json.write(value);
    }
}
