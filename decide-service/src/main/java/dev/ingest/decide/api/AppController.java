package dev.ingest.decide.api;

import dev.ingest.decide.auth.ApiKeyScope;
import dev.ingest.decide.store.AppConfigDraft;
import dev.ingest.decide.store.AppConfigRepository;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /api/projects/{projectId}/apps/}: the apps plugin-service runs for a project ({@code app_config}). An app id
 * of another project is a 404: every lookup is by (project, id). DELETE removes the row. plugin-service picks up every
 * change within its refresh interval (about 10 s), without a restart.
 */
@RestController
@RequestMapping(produces = "application/json")
public class AppController {
    private static final String APPS = "/api/projects/{projectId}/apps";
    private static final String APP = APPS + "/{appId}";
    /**
     * Larger bodies are refused before parsing: a config is at most 256 KiB serialized, and a JS source escaped in
     * JSON may take up to twice its size.
     */
    static final int MAX_BODY_BYTES = 1024 * 1024;
    /** Each app runs on every event of its project (a JS app in a process of its own): a project has a few at most. */
    static final int MAX_APPS_PER_PROJECT = 20;

    private final AppConfigRepository apps;
    private final ProjectAccess access;

    public AppController(AppConfigRepository apps, ProjectAccess access) {
        this.apps = Objects.requireNonNull(apps, "apps is null");
        this.access = Objects.requireNonNull(access, "access is null");
    }

    /** The project's apps in the order they run: by position, then id. */
    @GetMapping({APPS, APPS + "/"})
    public Page<AppResponse> list(ApiKeyScope scope, @PathVariable long projectId,
            @RequestParam(required = false) String limit, @RequestParam(required = false) String offset,
            HttpServletRequest request) {
        access.require(scope, projectId);
        PageRequest page = PageRequest.of(limit, offset);
        return page.page(apps.count(projectId), apps.list(projectId, page.limit(), page.offset()).stream()
                .map(AppResponse::of).toList(), request);
    }

    @PostMapping({APPS, APPS + "/"})
    public ResponseEntity<AppResponse> create(ApiKeyScope scope, @PathVariable long projectId,
            @RequestBody(required = false) byte[] body) {
        access.require(scope, projectId);
        AppConfigDraft draft = AppInput.forCreate(read(body));
        if (apps.count(projectId) >= MAX_APPS_PER_PROJECT) {
            throw ApiException.invalid("app", "A project may have at most " + MAX_APPS_PER_PROJECT
                    + " apps; delete one first.");
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(AppResponse.of(apps.insert(projectId, draft)));
    }

    @GetMapping({APP, APP + "/"})
    public AppResponse get(ApiKeyScope scope, @PathVariable long projectId, @PathVariable long appId) {
        access.require(scope, projectId);
        return apps.find(projectId, appId).map(AppResponse::of).orElseThrow(ApiException::notFound);
    }

    @PatchMapping({APP, APP + "/"})
    public AppResponse update(ApiKeyScope scope, @PathVariable long projectId, @PathVariable long appId,
            @RequestBody(required = false) byte[] body) {
        access.require(scope, projectId);
        ObjectNode patch = read(body);
        return apps.update(projectId, appId, current -> AppInput.forPatch(current, patch))
                .map(AppResponse::of).orElseThrow(ApiException::notFound);
    }

    @DeleteMapping({APP, APP + "/"})
    public ResponseEntity<Void> delete(ApiKeyScope scope, @PathVariable long projectId, @PathVariable long appId) {
        access.require(scope, projectId);
        if (!apps.delete(projectId, appId)) {
            throw ApiException.notFound();
        }
        return ResponseEntity.noContent().build();
    }

    private static ObjectNode read(byte[] body) {
        if (body != null && body.length > MAX_BODY_BYTES) {
            throw new ApiException(413, "validation_error", "payload_too_large",
                    "The request body is larger than " + MAX_BODY_BYTES + " bytes.", null);
        }
        return RequestJson.object(body);
    }
}
