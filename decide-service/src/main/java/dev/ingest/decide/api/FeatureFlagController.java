package dev.ingest.decide.api;

import dev.ingest.decide.auth.ApiKeyScope;
import dev.ingest.decide.flags.FeatureFlag;
import dev.ingest.decide.flags.FlagDependencies;
import dev.ingest.decide.flags.FlagFilters;
import dev.ingest.decide.store.CohortRepository;
import dev.ingest.decide.store.FeatureFlagRepository;
import dev.ingest.decide.store.FeatureFlagRow;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.springframework.dao.DuplicateKeyException;
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
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/projects/{projectId}/feature_flags/}: PostHog's feature flag API. A flag id of another project is a
 * 404: every lookup is by (project, id). DELETE is a soft delete.
 */
@RestController
@RequestMapping(produces = "application/json")
public class FeatureFlagController {
    private static final String FLAGS = "/api/projects/{projectId}/feature_flags";
    private static final String FLAG = FLAGS + "/{flagId}";
    private static final String DUPLICATE_KEY = "There is already a feature flag with this key.";

    private final FeatureFlagRepository flags;
    private final CohortRepository cohorts;
    private final ProjectAccess access;

    public FeatureFlagController(FeatureFlagRepository flags, CohortRepository cohorts, ProjectAccess access) {
        this.flags = Objects.requireNonNull(flags, "flags is null");
        this.cohorts = Objects.requireNonNull(cohorts, "cohorts is null");
        this.access = Objects.requireNonNull(access, "access is null");
    }

    /** Live flags, newest first. */
    @GetMapping({FLAGS, FLAGS + "/"})
    public Page<FeatureFlagResponse> list(ApiKeyScope scope, @PathVariable long projectId,
            @RequestParam(required = false) String limit, @RequestParam(required = false) String offset,
            HttpServletRequest request) {
        access.require(scope, projectId);
        PageRequest page = PageRequest.of(limit, offset);
        return page.page(flags.countLive(projectId), flags.listLive(projectId, page.limit(), page.offset()).stream()
                .map(FeatureFlagResponse::of).toList(), request);
    }

    @PostMapping({FLAGS, FLAGS + "/"})
    public ResponseEntity<FeatureFlagResponse> create(ApiKeyScope scope, @PathVariable long projectId,
            @RequestBody(required = false) byte[] body) {
        access.require(scope, projectId);
        FeatureFlagInput.Validated input = FeatureFlagInput.forCreate(RequestJson.object(body));
        requireCohorts(projectId, input.cohortIds());
        requireDependencies(projectId, null, input);
        try {
            FeatureFlagRow created = flags.insert(projectId, input.draft());
            return ResponseEntity.status(HttpStatus.CREATED).body(FeatureFlagResponse.of(created));
        } catch (DuplicateKeyException liveKeyTaken) {
            throw ApiException.invalid("key", DUPLICATE_KEY);
        }
    }

    /** A flag of this project, deleted ones included (with {@code "deleted": true}), as PostHog retrieves them. */
    @GetMapping({FLAG, FLAG + "/"})
    public FeatureFlagResponse get(ApiKeyScope scope, @PathVariable long projectId, @PathVariable long flagId) {
        access.require(scope, projectId);
        return flags.find(projectId, flagId).map(FeatureFlagResponse::of).orElseThrow(ApiException::notFound);
    }

    @PatchMapping({FLAG, FLAG + "/"})
    public FeatureFlagResponse update(ApiKeyScope scope, @PathVariable long projectId, @PathVariable long flagId,
            @RequestBody(required = false) byte[] body) {
        access.require(scope, projectId);
        var patch = RequestJson.object(body);
        try {
            return flags.update(projectId, flagId, current -> {
                FeatureFlagInput.Validated input = FeatureFlagInput.forPatch(current, patch);
                requireCohorts(projectId, input.cohortIds());
                requireDependencies(projectId, flagId, input);
                return input.draft();
            }).map(FeatureFlagResponse::of).orElseThrow(ApiException::notFound);
        } catch (DuplicateKeyException liveKeyTaken) {
            throw ApiException.invalid("key", DUPLICATE_KEY);
        }
    }

    /** Soft delete: the flag stays readable by id with {@code "deleted": true}, and its key can be used again. */
    @DeleteMapping({FLAG, FLAG + "/"})
    public ResponseEntity<Void> delete(ApiKeyScope scope, @PathVariable long projectId, @PathVariable long flagId) {
        access.require(scope, projectId);
        if (!flags.softDelete(projectId, flagId)) {
            throw ApiException.notFound();
        }
        return ResponseEntity.noContent().build();
    }

    /**
     * Flag dependencies may only name this project's live, active flags (as PostHog checks them on save), and the
     * flag being written must not come to depend on itself through them.
     */
    private void requireDependencies(long projectId, Long flagId, FeatureFlagInput.Validated input) {
        if (input.flagIds().isEmpty()) {
            return;
        }
        Map<Long, Boolean> found = flags.liveFlags(projectId, input.flagIds());
        for (long id : input.flagIds()) {
            if (flagId != null && id == flagId) {
                throw ApiException.invalid("filters", "A flag cannot depend on itself.");
            }
            Boolean active = found.get(id);
            if (active == null) {
                throw ApiException.invalid("filters", "Flag dependency references a flag that does not exist in this"
                        + " project: " + id + ".");
            }
            if (!active) {
                throw ApiException.invalid("filters", "Flag dependency references an inactive flag: " + id + ".");
            }
        }
        if (flagId != null) {
            List<FeatureFlag> project = new ArrayList<>();
            flags.liveFilters(projectId).forEach((id, filters) -> {
                JsonNode written = id.equals(flagId) ? input.draft().filters() : filters;
                project.add(new FeatureFlag(id, "flag-" + id, null, true, false, false, null, null,
                        FlagFilters.fromJson(written)));
            });
            if (FlagDependencies.of(project).cyclicIds().contains(flagId)) {
                throw ApiException.invalid("filters", "Circular flag dependency: this flag would depend on itself"
                        + " through the flags it depends on.");
            }
        }
    }

    /** Flags may only refer to this project's live cohorts. */
    private void requireCohorts(long projectId, Set<Long> ids) {
        PropertyTrees.requireCohorts(ids, cohorts.liveFilters(projectId, ids), "filters");
    }
}
