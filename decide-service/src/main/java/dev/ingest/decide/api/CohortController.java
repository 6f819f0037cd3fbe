package dev.ingest.decide.api;

import dev.ingest.common.json.Json;
import dev.ingest.decide.auth.ApiKeyScope;
import dev.ingest.decide.store.CohortRepository;
import dev.ingest.decide.store.CohortRow;
import dev.ingest.decide.store.StaticCohortAddition;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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
import tools.jackson.core.JacksonException;

/**
 * {@code /api/projects/{projectId}/cohorts/}: cohorts, and the members of static cohorts. Cohorts may refer to other
 * cohorts of the same project, never in a cycle (evaluation would not end).
 */
@RestController
@RequestMapping(produces = "application/json")
public class CohortController {
    private static final String COHORTS = "/api/projects/{projectId}/cohorts";
    private static final String COHORT = COHORTS + "/{cohortId}";
    private static final String PERSONS = COHORT + "/persons";
    /** How many cohorts the cycle check reads at most; deeper reference chains are refused. */
    private static final int MAX_REFERENCED_COHORTS = 1000;

    private final CohortRepository cohorts;
    private final ProjectAccess access;

    public CohortController(CohortRepository cohorts, ProjectAccess access) {
        this.cohorts = Objects.requireNonNull(cohorts, "cohorts is null");
        this.access = Objects.requireNonNull(access, "access is null");
    }

    /** Live cohorts, newest first. */
    @GetMapping({COHORTS, COHORTS + "/"})
    public Page<CohortResponse> list(ApiKeyScope scope, @PathVariable long projectId,
            @RequestParam(required = false) String limit, @RequestParam(required = false) String offset,
            HttpServletRequest request) {
        access.require(scope, projectId);
        PageRequest page = PageRequest.of(limit, offset);
        return page.page(cohorts.countLive(projectId), cohorts.listLive(projectId, page.limit(), page.offset())
                .stream().map(CohortResponse::of).toList(), request);
    }

    @PostMapping({COHORTS, COHORTS + "/"})
    public ResponseEntity<CohortResponse> create(ApiKeyScope scope, @PathVariable long projectId,
            @RequestBody(required = false) byte[] body) {
        access.require(scope, projectId);
        CohortInput.Validated input = CohortInput.forCreate(RequestJson.object(body));
        // A new cohort cannot be part of a cycle: nothing refers to it yet.
        PropertyTrees.requireCohorts(input.cohortIds(), cohorts.liveFilters(projectId, input.cohortIds()), "filters");
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(CohortResponse.of(cohorts.insert(projectId, input.draft())));
    }

    @GetMapping({COHORT, COHORT + "/"})
    public CohortResponse get(ApiKeyScope scope, @PathVariable long projectId, @PathVariable long cohortId) {
        access.require(scope, projectId);
        return cohorts.find(projectId, cohortId).map(CohortResponse::of).orElseThrow(ApiException::notFound);
    }

    @PatchMapping({COHORT, COHORT + "/"})
    public CohortResponse update(ApiKeyScope scope, @PathVariable long projectId, @PathVariable long cohortId,
            @RequestBody(required = false) byte[] body) {
        access.require(scope, projectId);
        var patch = RequestJson.object(body);
        return cohorts.update(projectId, cohortId, current -> {
            CohortInput.Validated input = CohortInput.forPatch(current, patch);
            requireAcyclic(projectId, cohortId, input.cohortIds());
            return input.draft();
        }).map(CohortResponse::of).orElseThrow(ApiException::notFound);
    }

    @DeleteMapping({COHORT, COHORT + "/"})
    public ResponseEntity<Void> delete(ApiKeyScope scope, @PathVariable long projectId, @PathVariable long cohortId) {
        access.require(scope, projectId);
        if (!cohorts.softDelete(projectId, cohortId)) {
            throw ApiException.notFound();
        }
        return ResponseEntity.noContent().build();
    }

    /**
     * Adds the persons of these distinct ids (this project's) to a static cohort. Answers how many were new, the
     * cohort's size, and the distinct ids no person has.
     */
    @PostMapping({PERSONS, PERSONS + "/"})
    public StaticCohortPersonsResponse addPersons(ApiKeyScope scope, @PathVariable long projectId, @PathVariable long cohortId,
            @RequestBody(required = false) byte[] body) {
        access.require(scope, projectId);
        CohortRow cohort = cohorts.find(projectId, cohortId).filter(c -> !c.deleted())
                .orElseThrow(ApiException::notFound);
        if (!cohort.isStatic()) {
            throw ApiException.invalid("is_static", "Persons can only be added to static cohorts.");
        }
        List<String> distinctIds = StaticCohortPersonsInput.distinctIds(RequestJson.object(body));
        StaticCohortAddition addition = cohorts.addPersons(projectId, cohortId, distinctIds);
        return new StaticCohortPersonsResponse(cohortId, addition.added(), addition.count(),
                addition.unknownDistinctIds());
    }

    /**
     * The referenced cohorts must be this project's live cohorts, and none may lead back to {@code cohortId}
     * through its own references.
     */
    private void requireAcyclic(long projectId, long cohortId, Set<Long> referenced) {
        if (referenced.contains(cohortId)) {
            throw ApiException.invalid("filters", "A cohort cannot refer to itself.");
        }
        Map<Long, String> direct = cohorts.liveFilters(projectId, referenced);
        PropertyTrees.requireCohorts(referenced, direct, "filters");
        Set<Long> seen = new HashSet<>(referenced);
        Deque<Map<Long, String>> frontier = new ArrayDeque<>(List.of(direct));
        while (!frontier.isEmpty()) {
            Set<Long> next = new LinkedHashSet<>();
            for (String filters : frontier.pop().values()) {
                for (long id : references(filters)) {
                    if (id == cohortId) {
                        throw ApiException.invalid("filters", "These filters would make cohorts refer to each other"
                                + " in a cycle.");
                    }
                    if (seen.add(id)) {
                        next.add(id);
                    }
                }
            }
            if (seen.size() > MAX_REFERENCED_COHORTS) {
                throw ApiException.invalid("filters", "Cohorts refer to too many other cohorts.");
            }
            if (!next.isEmpty()) {
                frontier.push(cohorts.liveFilters(projectId, next));
            }
        }
    }

    /** The cohorts a stored definition refers to; a definition this API would not accept refers to none. */
    private static Set<Long> references(String storedFilters) {
        Set<Long> ids = new LinkedHashSet<>();
        try {
            PropertyTrees.check(Json.read(storedFilters).get("properties"), "filters", ids);
        } catch (ApiException | JacksonException unreadable) {
            return Set.of();
        }
        return ids;
    }
}
