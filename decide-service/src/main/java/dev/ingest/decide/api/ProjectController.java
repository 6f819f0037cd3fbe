package dev.ingest.decide.api;

import dev.ingest.decide.auth.ApiKeyScope;
import dev.ingest.decide.evaluation.ProjectTokens;
import dev.ingest.decide.store.ProjectRepository;
import dev.ingest.decide.store.ProjectRow;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/projects/}: projects and their public API tokens. */
@RestController
public class ProjectController {
    private static final Logger log = LoggerFactory.getLogger(ProjectController.class);

    private final ProjectRepository projects;
    private final ProjectAccess access;
    private final ProjectTokens tokens;

    public ProjectController(ProjectRepository projects, ProjectAccess access, ProjectTokens tokens) {
        this.projects = Objects.requireNonNull(projects, "projects is null");
        this.access = Objects.requireNonNull(access, "access is null");
        this.tokens = Objects.requireNonNull(tokens, "tokens is null");
    }

    /** The projects in the key's scope, in id order. */
    @GetMapping(path = {"/api/projects", "/api/projects/"}, produces = "application/json")
    public Page<ProjectResponse> list(ApiKeyScope scope, @RequestParam(required = false) String limit,
            @RequestParam(required = false) String offset, HttpServletRequest request) {
        PageRequest page = PageRequest.of(limit, offset);
        return page.page(projects.count(scope.teams()),
                projects.list(scope.teams(), page.limit(), page.offset()).stream().map(ProjectResponse::of).toList(),
                request);
    }

    /** Only a key without a project scope may create projects: a scoped key could not use the new one anyway. */
    @PostMapping(path = {"/api/projects", "/api/projects/"}, produces = "application/json")
    public ResponseEntity<ProjectResponse> create(ApiKeyScope scope, @RequestBody(required = false) byte[] body) {
        if (scope.teams() != null) {
            throw ApiException.permissionDenied("Only an API key without a project scope can create projects.");
        }
        ProjectInput input = ProjectInput.forCreate(RequestJson.object(body));
        ProjectRow created = projects.create(input.name(), input.anonymizeIps());
        log.info("project {} created by personal API key {}", created.id(), scope.keyId());
        return ResponseEntity.status(HttpStatus.CREATED).body(ProjectResponse.of(created));
    }

    @GetMapping(path = {"/api/projects/{projectId}", "/api/projects/{projectId}/"}, produces = "application/json")
    public ProjectResponse get(ApiKeyScope scope, @PathVariable long projectId) {
        access.require(scope, projectId);
        return projects.find(projectId).map(ProjectResponse::of).orElseThrow(ApiException::notFound);
    }

    @PatchMapping(path = {"/api/projects/{projectId}", "/api/projects/{projectId}/"}, produces = "application/json")
    public ProjectResponse update(ApiKeyScope scope, @PathVariable long projectId,
            @RequestBody(required = false) byte[] body) {
        access.require(scope, projectId);
        ProjectInput input = ProjectInput.forPatch(RequestJson.object(body));
        ProjectRow updated = projects.update(projectId, input.name(), input.anonymizeIps(), input.personProcessingOptOut(),
                input.dropEventsOlderThanSeconds(), input.heatmapsOptIn(), input.cookielessServerHashMode())
                .orElseThrow(ApiException::notFound);
        // This process's configuration answers show the change at once; other processes within their cache's time.
        tokens.forget(updated.apiToken());
        return ProjectResponse.of(updated);
    }
}
