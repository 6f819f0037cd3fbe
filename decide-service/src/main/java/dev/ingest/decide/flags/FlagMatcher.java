package dev.ingest.decide.flags;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.BooleanNode;

/**
 * Evaluates flags for one context as PostHog's flags service does ({@code FeatureFlagMatcher} in
 * {@code rust/feature-flags/src/flags/flag_matching.rs}; docs/posthog-compatibility.md#feature-flags). Pure and
 * thread-safe: no I/O, "now" comes from the context's clock.
 *
 * <ol>
 *   <li>Inactive or deleted: false, {@code flag_disabled}.
 *   <li>A group flag whose group is not in the context (or has an empty key): false, {@code no_group_type}.
 *   <li>Super groups (early access): when the person has the enrollment property, or the super group has no
 *       properties, the super condition decides ({@code super_condition_value}, condition index 0).
 *   <li>Holdout: inside the holdout rollout (holdout hash), the holdout variant ({@code holdout_condition_value}).
 *   <li>Release conditions in stored order; the first match wins (PostHog stopped sorting variant overrides first in
 *       PostHog/posthog#37859).
 *   <li>Nothing matched: false with the highest-priority reason seen (on ties the later condition's index); a flag
 *       without conditions is {@code no_group_type} without an index.
 * </ol>
 */
public final class FlagMatcher {
    private FlagMatcher() {}

    public static FlagResult evaluate(FeatureFlag flag, EvaluationContext context) {
        return evaluate(flag, context, Map.of());
    }

    /**
     * Evaluates one flag; {@code dependencyValues} holds the values of the flags it depends on, by id (a flag filter
     * naming a flag not in it does not match).
     */
    static FlagResult evaluate(FeatureFlag flag, EvaluationContext context, Map<Long, JsonNode> dependencyValues) {
        if (!flag.active() || flag.deleted()) {
            return FlagResult.disabled(flag.key(), MatchReason.FLAG_DISABLED, null);
        }
        Optional<String> identifier = hashedIdentifier(flag, context).filter(id -> !id.isEmpty());
        if (identifier.isEmpty()) {
            return FlagResult.disabled(flag.key(), MatchReason.NO_GROUP_TYPE, null);
        }
        return new Evaluation(flag, context, identifier.get(), dependencyValues).run();
    }

    /** Evaluates and reports every flag given, in order (see the four-argument form). */
    public static FlagsEvaluation evaluateAll(Collection<FeatureFlag> flags, EvaluationContext context) {
        return evaluateAll(flags, flag -> true, flag -> true, context);
    }

    /**
     * Evaluates a project's flags. {@code project} is every live flag, so that dependencies resolve; a flag is
     * reported when it is {@code eligible} (active, served to this request's runtime and environments) and
     * {@code requested}. Dependencies are evaluated first; one that is not eligible counts as false, as PostHog seeds
     * inactive and filtered-out flags. A flag whose dependency does not exist is false, {@code missing_dependency};
     * a flag in or behind a dependency cycle is left out and sets {@code errorsWhileComputingFlags}, as does a flag
     * whose evaluation throws (or one of whose dependencies did).
     */
    public static FlagsEvaluation evaluateAll(Collection<FeatureFlag> project, Predicate<FeatureFlag> eligible,
            Predicate<FeatureFlag> requested, EvaluationContext context) {
        return evaluateAll(FlagDependencies.of(project), eligible, requested, context);
    }

    /** The same, over a project's flags whose dependencies were worked out once ({@link FlagDependencies#of}). */
    public static FlagsEvaluation evaluateAll(FlagDependencies dependencies, Predicate<FeatureFlag> eligible,
            Predicate<FeatureFlag> requested, EvaluationContext context) {
        List<FeatureFlag> project = dependencies.project();
        Set<Long> needed = new HashSet<>();
        boolean errors = false;
        for (FeatureFlag flag : project) {
            if (eligible.test(flag) && requested.test(flag)) {
                errors |= dependencies.cyclic().contains(flag);
                if (flag.id() != null) {
                    needed.add(flag.id());
                    needed.addAll(dependencies.chain(flag));
                }
            }
        }
        Map<Long, JsonNode> values = new HashMap<>();
        Set<Long> failed = new HashSet<>();
        Map<String, FlagResult> results = new LinkedHashMap<>();
        for (FeatureFlag flag : dependencies.order()) {
            boolean reported = eligible.test(flag) && requested.test(flag);
            if (!reported && (flag.id() == null || !needed.contains(flag.id()))) {
                continue;
            }
            if (!eligible.test(flag)) {
                values.put(flag.id(), BooleanNode.FALSE);
                continue;
            }
            FlagResult result;
            if (dependencies.missingDependency().contains(flag)) {
                result = FlagResult.disabled(flag.key(), MatchReason.MISSING_DEPENDENCY, null);
            } else if (!failed.isEmpty() && dependencies.chain(flag).stream().anyMatch(failed::contains)) {
                failed.add(flag.id());
                errors |= reported;
                continue;
            } else {
                try {
                    result = evaluate(flag, context, values);
                } catch (RuntimeException evaluationFailed) {
                    if (flag.id() != null) {
                        failed.add(flag.id());
                    }
                    errors |= reported;
                    continue;
                }
            }
            if (flag.id() != null) {
                values.put(flag.id(), result.value());
            }
            if (reported) {
                results.put(flag.key(), result);
            }
        }
        return new FlagsEvaluation(ordered(project, results), errors);
    }

    /** The results in the order the flags were given (evaluation order follows the dependencies). */
    private static Map<String, FlagResult> ordered(Collection<FeatureFlag> project, Map<String, FlagResult> results) {
        Map<String, FlagResult> ordered = new LinkedHashMap<>();
        for (FeatureFlag flag : project) {
            FlagResult result = results.get(flag.key());
            if (result != null) {
                ordered.put(flag.key(), result);
            }
        }
        return ordered;
    }

    /**
     * What the hashes are computed on: the group key for a group flag; otherwise the experience-continuity hash key
     * when the flag asks for it and one is stored, else the device id for device-bucketed flags (when the request
     * has one), else the distinct id.
     */
    static Optional<String> hashedIdentifier(FeatureFlag flag, EvaluationContext context) {
        if (flag.isGroupFlag()) {
            return context.groupKey(flag.filters().aggregationGroupTypeIndex());
        }
        if (flag.ensureExperienceContinuity()) {
            String override = context.hashKeyOverrides().get(flag.key());
            if (override != null) {
                return Optional.of(override);
            }
        }
        if (flag.bucketsByDeviceId() && context.deviceId() != null && !context.deviceId().isEmpty()) {
            return Optional.of(context.deviceId());
        }
        return Optional.of(context.distinctId());
    }

    /** The variant whose range {@code [min, min + pct/100)} holds the variant hash; null (plain true) if none. */
    static String matchingVariant(FeatureFlag flag, String identifier) {
        List<FlagVariant> variants = flag.filters().variants();
        if (variants.isEmpty()) {
            return null;
        }
        double hash = FlagHasher.variantHash(flag.key(), identifier);
        double min = 0;
        for (FlagVariant variant : variants) {
            double max = min + variant.rolloutPercentage() / 100;
            if (hash >= min && hash < max) {
                return variant.key();
            }
            min = max;
        }
        return null;
    }

    private record ConditionOutcome(boolean matched, MatchReason reason) {}

    /** The state of one evaluation. */
    private static final class Evaluation {
        private final FeatureFlag flag;
        private final String identifier;
        private final PropertyEvaluator properties;

        Evaluation(FeatureFlag flag, EvaluationContext context, String identifier, Map<Long, JsonNode> dependencies) {
            this.flag = flag;
            this.identifier = identifier;
            this.properties = new PropertyEvaluator(flag, context, dependencies);
        }

        FlagResult run() {
            Optional<FlagResult> superResult = superCondition();
            if (superResult.isPresent()) {
                return superResult.get();
            }
            Optional<FlagResult> holdoutResult = holdout();
            if (holdoutResult.isPresent()) {
                return holdoutResult.get();
            }
            return releaseConditions();
        }

        private Optional<FlagResult> superCondition() {
            List<FlagCondition> superGroups = flag.filters().superGroups();
            if (superGroups.isEmpty()) {
                return Optional.empty();
            }
            FlagCondition condition = superGroups.getFirst();
            boolean propertySet = condition.properties().stream()
                    .anyMatch(property -> property instanceof PropertyFilter filter && properties.isPresent(filter));
            if (!propertySet && !condition.properties().isEmpty()) {
                return Optional.empty();
            }
            ConditionOutcome outcome = evaluate(condition);
            if (outcome.matched()) {
                return Optional.of(enabled(null, MatchReason.SUPER_CONDITION_VALUE, 0));
            }
            MatchReason reason = propertySet ? MatchReason.SUPER_CONDITION_VALUE : outcome.reason();
            return Optional.of(FlagResult.disabled(flag.key(), reason, 0));
        }

        /** Only property-less holdout groups are supported, as in PostHog. */
        private Optional<FlagResult> holdout() {
            List<FlagCondition> holdoutGroups = flag.filters().holdoutGroups();
            if (holdoutGroups.isEmpty() || !holdoutGroups.getFirst().properties().isEmpty()) {
                return Optional.empty();
            }
            FlagCondition condition = holdoutGroups.getFirst();
            Double percentage = condition.rolloutPercentage();
            if (percentage != null && FlagHasher.holdoutHash(identifier) > percentage / 100) {
                return Optional.empty();
            }
            String variant = condition.variant() != null ? condition.variant() : matchingVariant(flag, identifier);
            return Optional.of(enabled(variant, MatchReason.HOLDOUT_CONDITION_VALUE, null));
        }

        private FlagResult releaseConditions() {
            List<FlagCondition> conditions = flag.filters().groups();
            MatchReason best = MatchReason.NO_GROUP_TYPE;
            Integer bestIndex = null;
            for (int index = 0; index < conditions.size(); index++) {
                FlagCondition condition = conditions.get(index);
                ConditionOutcome outcome = evaluate(condition);
                if (outcome.matched()) {
                    String override = condition.variant();
                    String variant = override != null && flag.filters().hasVariant(override)
                            ? override
                            : matchingVariant(flag, identifier);
                    return enabled(variant, MatchReason.CONDITION_MATCH, index);
                }
                if (outcome.reason().priority() >= best.priority()) {
                    best = outcome.reason();
                    bestIndex = index;
                }
            }
            return FlagResult.disabled(flag.key(), best, bestIndex);
        }

        /**
         * Properties first (AND), then the rollout check {@code hash <= pct/100}; a null percentage, or 100, matches
         * without hashing.
         */
        private ConditionOutcome evaluate(FlagCondition condition) {
            if (!properties.allMatch(condition.properties())) {
                return new ConditionOutcome(false, MatchReason.NO_CONDITION_MATCH);
            }
            Double percentage = condition.rolloutPercentage();
            if (percentage != null && percentage < 100 && FlagHasher.rolloutHash(flag.key(), identifier) > percentage / 100) {
                return new ConditionOutcome(false, MatchReason.OUT_OF_ROLLOUT_BOUND);
            }
            return new ConditionOutcome(true, MatchReason.CONDITION_MATCH);
        }

        /** An enabled result with the payload of {@code variant}, or of "true" for a boolean match. */
        private FlagResult enabled(String variant, MatchReason reason, Integer conditionIndex) {
            Optional<FlagPayload> payload = flag.filters().payload(variant != null ? variant : "true");
            return new FlagResult(
                    flag.key(),
                    true,
                    variant,
                    reason,
                    conditionIndex,
                    payload.map(FlagPayload::json).orElse(null));
        }
    }
}
