package dev.ingest.decide.flags;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Evaluates property trees for one flag and one context: chooses the property map each filter reads, expands cohorts
 * and resolves flag dependencies.
 *
 * <p>Which properties a filter reads: {@code group} filters read the group at their {@code group_type_index} (or
 * the flag's); other filters read the flag's own target, i.e. the person for a person flag and the flag's group for a
 * group flag (as the Rust engine does). Inside a cohort definition non-group filters read the person.
 *
 * <p>{@code negation} is honoured only inside cohort definitions, after a filter that cannot be decided has become
 * false, as PostHog's flags service does; on a flag's own conditions it is ignored (the negative operators negate).
 */
final class PropertyEvaluator {
    /** Where a person's metadata columns sit in the person map: apart from any property of the same name. */
    static final String PERSON_METADATA_PREFIX = "__posthog_person_metadata__";

    private final FeatureFlag flag;
    private final EvaluationContext context;
    private final Map<Long, JsonNode> dependencyValues;
    private final Set<String> cohortsInProgress = new HashSet<>();

    PropertyEvaluator(FeatureFlag flag, EvaluationContext context, Map<Long, JsonNode> dependencyValues) {
        this.flag = flag;
        this.context = context;
        this.dependencyValues = dependencyValues;
    }

    /** All conditions match (an empty list matches). */
    boolean allMatch(List<PropertyCondition> conditions) {
        for (PropertyCondition condition : conditions) {
            if (!matches(condition)) {
                return false;
            }
        }
        return true;
    }

    boolean matches(PropertyCondition condition) {
        return switch (condition) {
            case PropertyGroup group -> groupMatches(group);
            case PropertyFilter filter -> filterMatches(filter);
        };
    }

    /** Whether the property the filter reads is present (a key holding null is). */
    boolean isPresent(PropertyFilter filter) {
        return propertiesFor(filter).containsKey(lookupKey(filter));
    }

    private boolean groupMatches(PropertyGroup group) {
        if (group.values().isEmpty()) {
            return true;
        }
        boolean and = group.logic() == PropertyGroup.Logic.AND;
        for (PropertyCondition value : group.values()) {
            if (matches(value) != and) {
                return !and;
            }
        }
        return and;
    }

    private boolean filterMatches(PropertyFilter filter) {
        boolean matched = switch (filter.type()) {
            case COHORT -> cohortMatches(filter);
            case FLAG -> dependencyMatches(filter);
            case OTHER -> false;
            case PERSON, GROUP, PERSON_METADATA -> appliesToProperties(filter.operator())
                    && PropertyMatcher.matches(filter, lookupKey(filter), propertiesFor(filter), context.clock());
        };
        return insideCohort() && filter.type() != PropertyType.COHORT ? matched != filter.negation() : matched;
    }

    private boolean insideCohort() {
        return !cohortsInProgress.isEmpty();
    }

    private static String lookupKey(PropertyFilter filter) {
        return filter.type() == PropertyType.PERSON_METADATA ? PERSON_METADATA_PREFIX + filter.key() : filter.key();
    }

    /**
     * {@code flag_evaluates_to}: {@code true} matches a dependency that is on (any variant), {@code false} one that
     * is off, a string the variant of that name; a dependency without a value does not match.
     */
    private boolean dependencyMatches(PropertyFilter filter) {
        if (filter.operator() != Operator.FLAG_EVALUATES_TO) {
            return false;
        }
        Optional<Long> id = FlagDependencies.id(filter.key());
        JsonNode value = id.map(dependencyValues::get).orElse(null);
        if (value == null) {
            return false;
        }
        JsonNode expected = filter.value();
        if (expected.isBoolean()) {
            boolean on = !(value.isBoolean() && !value.booleanValue());
            return expected.booleanValue() == on;
        }
        return expected.isString() && value.isString() && value.stringValue().equals(expected.stringValue());
    }

    /** Operators that cannot be decided on a property never match, negated or not. */
    private static boolean appliesToProperties(Operator operator) {
        return switch (operator) {
            case UNSUPPORTED, IN, NOT_IN, FLAG_EVALUATES_TO -> false;
            default -> true;
        };
    }

    /** A missing cohort matches nothing; otherwise membership, inverted by {@code not_in} and by negation. */
    private boolean cohortMatches(PropertyFilter filter) {
        String id = filter.cohortId();
        Optional<Cohort> cohort = context.cohorts().find(id);
        if (cohort.isEmpty() || filter.operator() == Operator.UNSUPPORTED) {
            return false;
        }
        boolean member = switch (cohort.get()) {
            case Cohort.Static found -> found.containsPerson();
            case Cohort.Dynamic dynamic -> dynamicMember(id, dynamic.filters());
        };
        boolean matched = member != (filter.operator() == Operator.NOT_IN);
        return insideCohort() ? matched != filter.negation() : matched;
    }

    private boolean dynamicMember(String id, PropertyGroup filters) {
        if (!cohortsInProgress.add(id)) {
            return false;
        }
        try {
            return groupMatches(filters);
        } finally {
            cohortsInProgress.remove(id);
        }
    }

    private Map<String, JsonNode> propertiesFor(PropertyFilter filter) {
        Integer groupTypeIndex = filter.type() == PropertyType.GROUP && filter.groupTypeIndex() != null
                ? filter.groupTypeIndex()
                : null;
        if (groupTypeIndex == null
                && (filter.type() == PropertyType.GROUP || (flag.isGroupFlag() && !insideCohort()))) {
            groupTypeIndex = flag.filters().aggregationGroupTypeIndex();
        }
        return groupTypeIndex == null ? context.personProperties() : context.groupPropertiesFor(groupTypeIndex);
    }
}
