package dev.ingest.decide.api;

import dev.ingest.decide.auth.ApiKeyScope;
import dev.ingest.decide.store.EventRestrictionRepository;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/projects/{projectId}/event_restrictions/}: restrictions on a project's events (drop, force to the
 * overflow lane, skip person processing, send to the dead-letter topic). Capture and plugin-service apply a change
 * within their refresh interval (5 s), without a restart. A restriction is created or deleted, never edited.
 */
@RestController
@RequestMapping(produces = "application/json")
public class EventRestrictionController {
    private static final Logger log = LoggerFactory.getLogger(EventRestrictionController.class);
    private static final String RESTRICTIONS = "/api/projects/{projectId}/event_restrictions";
    private static final String RESTRICTION = RESTRICTIONS + "/{restrictionId}";
    static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    /** Each is matched against the project's events in capture and the pipeline: a project has a few at most. */
    static final int MAX_PER_PROJECT = 100;

    private final EventRestrictionRepository restrictions;
    private final ProjectAccess access;

    public EventRestrictionController(EventRestrictionRepository restrictions, ProjectAccess access) {
        this.restrictions = Objects.requireNonNull(restrictions, "restrictions is null");
        this.access = Objects.requireNonNull(access, "access is null");
    }

    @GetMapping({RESTRICTIONS, RESTRICTIONS + "/"})
    public Page<EventRestrictionResponse> list(ApiKeyScope scope, @PathVariable long projectId,
            @RequestParam(required = false) String limit, @RequestParam(required = false) String offset,
            HttpServletRequest request) {
        access.require(scope, projectId);
        PageRequest page = PageRequest.of(limit, offset);
        return page.page(restrictions.count(projectId), restrictions.list(projectId, page.limit(), page.offset())
                .stream().map(EventRestrictionResponse::of).toList(), request);
    }

    @PostMapping({RESTRICTIONS, RESTRICTIONS + "/"})
    public ResponseEntity<EventRestrictionResponse> create(ApiKeyScope scope, @PathVariable long projectId,
            @RequestBody(required = false) byte[] body) {
        access.require(scope, projectId);
        if (body != null && body.length > MAX_BODY_BYTES) {
            throw new ApiException(413, "validation_error", "payload_too_large",
                    "The request body is larger than " + MAX_BODY_BYTES + " bytes.", null);
        }
        var draft = EventRestrictionInput.forCreate(RequestJson.object(body));
        if (restrictions.count(projectId) >= MAX_PER_PROJECT) {
            throw ApiException.invalid("restriction_type", "A project may have at most " + MAX_PER_PROJECT
                    + " event restrictions; delete one first.");
        }
        var created = restrictions.insert(projectId, draft);
        log.info("event restriction {} ({}) created for project {} by personal API key {}", created.id(),
                created.restrictionType(), projectId, scope.keyId());
        return ResponseEntity.status(HttpStatus.CREATED).body(EventRestrictionResponse.of(created));
    }

    @GetMapping({RESTRICTION, RESTRICTION + "/"})
    public EventRestrictionResponse get(ApiKeyScope scope, @PathVariable long projectId,
            @PathVariable long restrictionId) {
        access.require(scope, projectId);
        return restrictions.find(projectId, restrictionId).map(EventRestrictionResponse::of)
                .orElseThrow(ApiException::notFound);
    }

    @DeleteMapping({RESTRICTION, RESTRICTION + "/"})
    public ResponseEntity<Void> delete(ApiKeyScope scope, @PathVariable long projectId, @PathVariable long restrictionId) {
        access.require(scope, projectId);
        if (!restrictions.delete(projectId, restrictionId)) {
            throw ApiException.notFound();
        }
        log.info("event restriction {} of project {} deleted by personal API key {}", restrictionId, projectId,
                scope.keyId());
        return ResponseEntity.noContent().build();
    }
}
