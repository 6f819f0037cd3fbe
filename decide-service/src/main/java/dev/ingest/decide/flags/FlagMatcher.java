package dev.ingest.decide.flags;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates one flag for one context (spec §4.5; PostHog's {@code FeatureFlagMatcher.get_match}). Pure and
 * thread-safe: no I/O, "now" comes from the context's clock.
 *
 * <ol>
 *   <li>Inactive or deleted: false, {@code flag_disabled}.
 *   <li>A group flag whose group is not in the context (or has an empty key): false, {@code no_group_type}.
 *   <li>Super groups (early access): when the person has the enrollment property, or the super group has no
 *       properties, the super condition decides ({@code super_condition_value}, condition index 0).
 *   <li>Holdout: inside the holdout rollout (holdout hash), the holdout variant ({@code holdout_condition_value}).
 *   <li>Release conditions, variant overrides first (stable sort; indexes stay the stored ones); the first match wins.
 *   <li>Nothing matched: false with the highest-priority reason seen (on ties the later condition's index).
 * </ol>
 */
public final class FlagMatcher {
    private FlagMatcher() {}

    public static FlagResult evaluate(FeatureFlag flag, EvaluationContext context) {
        if (!flag.active() || flag.deleted()) {
            return FlagResult.disabled(flag.key(), MatchReason.FLAG_DISABLED, null);
        }
        Optional<String> identifier = hashedIdentifier(flag, context).filter(id -> !id.isEmpty());
        if (identifier.isEmpty()) {
            return FlagResult.disabled(flag.key(), MatchReason.NO_GROUP_TYPE, null);
        }
        return new Evaluation(flag, context, identifier.get()).run();
    }

    /**
     * Evaluates every flag given, in order. A flag whose evaluation throws is left out and sets
     * {@code errorsWhileComputingFlags} (spec §4.5 step 7); the others are unaffected.
     */
    public static FlagsEvaluation evaluateAll(Collection<FeatureFlag> flags, EvaluationContext context) {
        Map<String, FlagResult> results = new LinkedHashMap<>();
        boolean errors = false;
        for (FeatureFlag flag : flags) {
            try {
                results.put(flag.key(), evaluate(flag, context));
            } catch (RuntimeException failed) {
                errors = true;
            }
        }
        return new FlagsEvaluation(results, errors);
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

        Evaluation(FeatureFlag flag, EvaluationContext context, String identifier) {
            this.flag = flag;
            this.identifier = identifier;
            this.properties = new PropertyEvaluator(flag, context);
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
            List<Integer> order = new ArrayList<>();
            for (int index = 0; index < conditions.size(); index++) {
                order.add(index);
            }
            order.sort(Comparator.comparingInt(index -> conditions.get(index).variant() != null ? 0 : 1));

            MatchReason best = MatchReason.NO_CONDITION_MATCH;
            Integer bestIndex = null;
            for (int index : order) {
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

        /** Properties first (AND), then the rollout check {@code hash <= pct/100}; a null percentage is 100%. */
        private ConditionOutcome evaluate(FlagCondition condition) {
            if (!properties.allMatch(condition.properties())) {
                return new ConditionOutcome(false, MatchReason.NO_CONDITION_MATCH);
            }
            Double percentage = condition.rolloutPercentage();
            if (percentage != null && FlagHasher.rolloutHash(flag.key(), identifier) > percentage / 100) {
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
                    payload.map(FlagPayload::parsed).orElse(null),
                    payload.map(FlagPayload::stored).orElse(null));
        }
    }
}
