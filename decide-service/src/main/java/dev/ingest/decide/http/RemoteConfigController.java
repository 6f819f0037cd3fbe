package dev.ingest.decide.http;

import dev.ingest.common.json.Json;
import dev.ingest.decide.evaluation.FlagService;
import dev.ingest.decide.evaluation.Project;
import dev.ingest.decide.evaluation.ProjectTokens;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code /array/{token}/config} (JSON) and {@code config.js}: the remote configuration posthog-js loads first. */
@RestController
public class RemoteConfigController {
    private final ProjectTokens projects;
    private final FlagService flags;

    public RemoteConfigController(ProjectTokens projects, FlagService flags) {
        this.projects = projects;
        this.flags = flags;
    }

    @GetMapping(path = "/array/{token}/config", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> config(@PathVariable String token) {
        Project project = project(token);
        Map<String, Object> config = RemoteConfig.base(!flags.definitions(project).flags().isEmpty(),
                project.heatmapsOptIn());
        config.put("token", project.apiToken());
        return config;
    }

    @GetMapping(path = "/array/{token}/config.js")
    public ResponseEntity<String> configScript(@PathVariable String token) {
        Map<String, Object> config = config(token);
        String script = "(function() {\n  window._POSTHOG_REMOTE_CONFIG = window._POSTHOG_REMOTE_CONFIG || {};\n"
                + "  window._POSTHOG_REMOTE_CONFIG[" + Json.write(token) + "] = {config: " + Json.write(config)
                + ", siteApps: []};\n})();\n";
        return ResponseEntity.ok().contentType(MediaType.valueOf("application/javascript")).body(script);
    }

    private Project project(String token) {
        return projects.byToken(token).orElseThrow(() -> new DecideException(401, "authentication_error", "invalid_api_key",
                "Project API key invalid. You can find your project API key in PostHog project settings."));
    }
}
