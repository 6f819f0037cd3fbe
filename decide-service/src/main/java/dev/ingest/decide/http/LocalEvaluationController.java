package dev.ingest.decide.http;

import dev.ingest.decide.auth.ApiKeyScope;
import dev.ingest.decide.auth.PersonalApiKeys;
import dev.ingest.decide.evaluation.FlagService;
import dev.ingest.decide.evaluation.Project;
import dev.ingest.decide.evaluation.ProjectDefinitions;
import dev.ingest.decide.evaluation.ProjectTokens;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Flag definitions for server-side local evaluation (posthog-node's {@code personalApiKey}):
 * {@code /api/feature_flag/local_evaluation?token=} and {@code /flags/definitions?token=}, authenticated with a
 * personal API key scoped to the project. An ETag lets pollers get 304 when nothing changed.
 */
@RestController
public class LocalEvaluationController {
    private final ProjectTokens projects;
    private final FlagService flags;
    private final ObjectProvider<PersonalApiKeys> keys;

    public LocalEvaluationController(ProjectTokens projects, FlagService flags, ObjectProvider<PersonalApiKeys> keys) {
        this.projects = projects;
        this.flags = flags;
        this.keys = keys;
    }

    @GetMapping(path = {"/api/feature_flag/local_evaluation", "/api/feature_flag/local_evaluation/", "/flags/definitions",
        "/flags/definitions/"}, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> definitions(@RequestParam(required = false) String token, HttpServletRequest http) {
        String authorization = http.getHeader("Authorization");
        String presented = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        PersonalApiKeys keyStore = keys.getIfAvailable();
        Optional<ApiKeyScope> scope = presented == null || keyStore == null ? Optional.empty() : keyStore.authenticate(presented);
        if (scope.isEmpty()) {
            throw new DecideException(401, "authentication_error", "authentication_failed",
                    "A valid personal API key is required (Authorization: Bearer phx_...).");
        }
        if (token == null || token.isBlank()) {
            throw new DecideException(401, "authentication_error", "no_api_key", "No project API key provided (?token=).");
        }
        Project project = projects.byToken(token.strip()).orElseThrow(() -> new DecideException(401, "authentication_error",
                "invalid_api_key", "Project API key invalid. You can find your project API key in PostHog project settings."));
        if (!scope.get().allows(project.id())) {
            throw new DecideException(403, "authentication_error", "permission_denied",
                    "This personal API key is not scoped to the project of that token.");
        }
        ProjectDefinitions definitions = flags.definitions(project);
        String etag = "\"" + definitions.version() + "\"";
        if (etag.equals(http.getHeader("If-None-Match"))) {
            return ResponseEntity.status(304).eTag(etag).build();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("flags", definitions.definitions());
        Map<String, String> groupTypes = new LinkedHashMap<>();
        definitions.groupTypes().forEach((index, name) -> groupTypes.put(Integer.toString(index), name));
        body.put("group_type_mapping", groupTypes);
        body.put("cohorts", definitions.cohorts());
        // The matching rules served are PostHog's first ("legacy") ones; version 2 changes how exact compares booleans.
        body.put("property_matching_version", 1);
        return ResponseEntity.ok().eTag(etag).body(body);
    }
}
