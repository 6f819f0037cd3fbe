package dev.ingest.decide.evaluation;

import dev.ingest.decide.flags.Cohort;
import dev.ingest.decide.flags.CohortResolver;
import dev.ingest.decide.flags.EvaluationContext;
import dev.ingest.decide.flags.EvaluationRuntime;
import dev.ingest.decide.flags.FeatureFlag;
import dev.ingest.decide.flags.FlagDependencies;
import dev.ingest.decide.flags.FlagMatcher;
import dev.ingest.decide.flags.FlagResult;
import dev.ingest.decide.flags.FlagsEvaluation;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/**
 * Evaluates a project's flags for one request: person properties (and the person's {@code created_at}) read once
 * from PostgreSQL and overridden by the request's, group properties likewise, static cohort membership,
 * experience-continuity hash keys. Only the flags served to the request's runtime and environments are evaluated
 * (docs/posthog-compatibility.md#feature-flags). When PostgreSQL fails, flags that need nothing from it still evaluate
 * on the request's own properties, the others are left out, and {@code errorsWhileComputingFlags} is true.
 */
@Service
public class FlagService {
    private static final Logger log = LoggerFactory.getLogger(FlagService.class);

    private final DefinitionsCache definitions;
    private final PersonData persons;
    private final Clock clock;

    public FlagService(DefinitionsCache definitions, PersonData persons) {
        this.definitions = definitions;
        this.persons = persons;
        this.clock = Clock.systemUTC();
    }

    /** The outcome, with the flag metadata the detailed responses need. */
    public record Evaluation(Map<String, FlagResult> results, Map<String, FeatureFlag> flags, boolean errors) {}

    public Evaluation evaluate(Project project, DecideRequest request) {
        ProjectDefinitions defs = definitions.get(project.id());
        Optional<String> runtime = EvaluationRuntime.of(request.runtime());
        Set<String> contexts = Set.copyOf(request.evaluationContexts());
        Predicate<FeatureFlag> served = flag -> flag.active() && EvaluationRuntime.serves(flag, runtime)
                && (contexts.isEmpty() || flag.evaluationContexts().isEmpty()
                        || flag.evaluationContexts().stream().anyMatch(contexts::contains));
        Predicate<FeatureFlag> requested = flag -> request.flagKeys() == null || request.flagKeys().contains(flag.key());
        List<FeatureFlag> flags = defs.flags().stream().filter(served.and(requested)).toList();
        Map<String, FeatureFlag> byKey = new LinkedHashMap<>();
        flags.forEach(f -> byKey.put(f.key(), f));
        boolean databaseFailed = false;

        Map<String, JsonNode> personProperties = new HashMap<>();
        Set<String> memberOf = Set.of();
        Map<String, String> overrides = Map.of();
        Map<String, Map<String, JsonNode>> groupProperties = new HashMap<>();
        try {
            if (!flags.isEmpty()) {
                // Over every served flag, not only those requested: a requested flag may depend on any of them.
                if (needsStoredPerson(defs, served, request)) {
                    Optional<PersonData.PersonRow> person = persons.person(project.id(), request.distinctId());
                    if (person.isPresent()) {
                        personProperties.putAll(person.get().properties());
                        personProperties.put(EvaluationContext.PERSON_CREATED_AT,
                                StringNode.valueOf(person.get().createdAt().toString()));
                        if (!defs.staticCohorts().isEmpty()) {
                            memberOf = persons.staticCohorts(person.get().id());
                        }
                    }
                }
                List<String> continuity = flags.stream().filter(FeatureFlag::ensureExperienceContinuity).map(FeatureFlag::key).toList();
                if (!continuity.isEmpty()) {
                    List<String> ids = request.anonDistinctId() == null ? List.of(request.distinctId())
                            : List.of(request.distinctId(), request.anonDistinctId());
                    if (request.anonDistinctId() != null) {
                        persons.writeHashKeyOverrides(project.id(), ids, continuity, request.anonDistinctId());
                    }
                    overrides = persons.hashKeyOverrides(project.id(), ids);
                }
                for (Map.Entry<String, String> group : request.groups().entrySet()) {
                    Integer index = indexOf(defs.groupTypes(), group.getKey());
                    if (index != null) {
                        groupProperties.put(group.getKey(), new HashMap<>(persons.groupProperties(project.id(), index, group.getValue())));
                    }
                }
            }
        } catch (DataAccessException e) {
            log.warn("PostgreSQL failed while evaluating flags of project {}: {}", project.id(), e.getClass().getSimpleName());
            databaseFailed = true;
        }
        personProperties.put("distinct_id", StringNode.valueOf(request.distinctId()));
        personProperties.putAll(request.personProperties());
        request.groupProperties().forEach((type, props) -> groupProperties.computeIfAbsent(type, t -> new HashMap<>()).putAll(props));

        Set<String> staticMembership = memberOf;
        Map<String, Cohort> cohorts = new HashMap<>();
        defs.cohorts().forEach((id, group) -> cohorts.put(id, defs.staticCohorts().contains(id)
                ? new Cohort.Static(staticMembership.contains(id)) : Cohort.dynamicFromJson(group)));

        EvaluationContext.Builder context = EvaluationContext.builder(request.distinctId())
                .deviceId(request.deviceId())
                .personProperties(personProperties)
                .groups(request.groups())
                .groupTypeMapping(defs.groupTypes())
                .hashKeyOverrides(overrides)
                .cohorts(CohortResolver.of(cohorts))
                .clock(clock);
        groupProperties.forEach(context::groupProperties);

        Predicate<FeatureFlag> eligible = served;
        if (databaseFailed) {
            // Without PostgreSQL: flags that need it (groups, cohorts, continuity, the person, other flags) cannot be
            // trusted; leave them out.
            eligible = served.and(flag -> !flag.isGroupFlag() && !flag.ensureExperienceContinuity() && !defs.needsOf(flag).cohorts()
                    && !defs.needsOf(flag).personMetadata() && FlagDependencies.references(flag).isEmpty());
        }
        FlagsEvaluation evaluation = FlagMatcher.evaluateAll(defs.dependencies(), eligible, requested, context.build());
        return new Evaluation(evaluation.flags(), byKey, evaluation.errorsWhileComputingFlags() || databaseFailed);
    }

    public ProjectDefinitions definitions(Project project) {
        return definitions.get(project.id());
    }

    /**
     * Whether the stored person must be read: not when every person property the served flags test is in the
     * request's own overrides and no flag needs cohorts or the person's metadata (PostHog's Rust service skips the same
     * query). The overrides would win anyway.
     */
    private static boolean needsStoredPerson(ProjectDefinitions defs, Predicate<FeatureFlag> served, DecideRequest request) {
        for (FeatureFlag flag : defs.flags()) {
            if (served.test(flag) && defs.needsOf(flag).needsStoredPerson(request.personProperties())) {
                return true;
            }
        }
        return false;
    }

    private static Integer indexOf(Map<Integer, String> groupTypes, String type) {
        for (Map.Entry<Integer, String> entry : groupTypes.entrySet()) {
            if (entry.getValue().equals(type)) {
                return entry.getKey();
            }
        }
        return null;
    }
}
