package dev.ingest.decide.flags;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Evaluates property trees for one flag and one context: chooses the property map each filter reads, applies
 * {@code negation}, and expands cohorts.
 *
 * <p>Which properties a filter reads: {@code group} filters read the group at their {@code group_type_index} (or
 * the flag's); other filters read the flag's own target, i.e. the person for a person flag and the flag's group for a
 * group flag (as the Rust engine does). Inside a cohort definition non-group filters read the person.
 */
final class PropertyEvaluator {
    private final FeatureFlag flag;
    private final EvaluationContext context;
    private final Set<String> cohortsInProgress = new HashSet<>();

    PropertyEvaluator(FeatureFlag flag, EvaluationContext context) {
        this.flag = flag;
        this.context = context;
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

    /** Whether the property the filter reads is present (not absent, not null). */
    boolean isPresent(PropertyFilter filter) {
        return !Nodes.absent(propertiesFor(filter).get(filter.key()));
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
        return switch (filter.type()) {
            case COHORT -> cohortMatches(filter);
            case FLAG, OTHER -> false;
            case PERSON, GROUP -> appliesToProperties(filter.operator())
                    && PropertyMatcher.matches(filter, propertiesFor(filter), context.clock()) != filter.negation();
        };
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
        return (member != (filter.operator() == Operator.NOT_IN)) != filter.negation();
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
        boolean insideCohort = !cohortsInProgress.isEmpty();
        if (groupTypeIndex == null
                && (filter.type() == PropertyType.GROUP || (flag.isGroupFlag() && !insideCohort))) {
            groupTypeIndex = flag.filters().aggregationGroupTypeIndex();
        }
        return groupTypeIndex == null ? context.personProperties() : context.groupPropertiesFor(groupTypeIndex);
    }
}
