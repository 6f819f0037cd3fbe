package dev.ingest.decide.evaluation;

import dev.ingest.decide.flags.FeatureFlag;
import dev.ingest.decide.flags.FlagCondition;
import dev.ingest.decide.flags.PropertyCondition;
import dev.ingest.decide.flags.PropertyFilter;
import dev.ingest.decide.flags.PropertyGroup;
import dev.ingest.decide.flags.PropertyType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What one flag needs from PostgreSQL beyond the request, worked out once when a project's definitions are loaded
 * (a walk over every condition of every flag on each request was a twentieth of a /flags request's time).
 *
 * @param cohorts the flag tests cohort membership
 * @param personMetadata the flag tests the person's metadata (its creation time)
 * @param personKeys the person properties its conditions test (release conditions, super groups, holdouts)
 */
public record FlagNeeds(boolean cohorts, boolean personMetadata, Set<String> personKeys) {
    public static FlagNeeds of(FeatureFlag flag) {
        Set<String> keys = new HashSet<>();
        for (FlagCondition condition : conditions(flag)) {
            for (PropertyCondition property : condition.properties()) {
                collectPersonKeys(property, keys);
            }
        }
        return new FlagNeeds(anyFilter(flag, f -> f.type() == PropertyType.COHORT),
                anyFilter(flag, f -> f.type() == PropertyType.PERSON_METADATA), Set.copyOf(keys));
    }

    /** Whether the stored person must be read for this flag, given the person properties the request brought. */
    boolean needsStoredPerson(Map<String, ?> requestPersonProperties) {
        return cohorts || personMetadata || !requestPersonProperties.keySet().containsAll(personKeys);
    }

    private static void collectPersonKeys(PropertyCondition condition, Set<String> keys) {
        switch (condition) {
            case PropertyFilter filter -> {
                if (filter.type() == PropertyType.PERSON) {
                    keys.add(filter.key());
                }
            }
            case PropertyGroup group -> group.values().forEach(c -> collectPersonKeys(c, keys));
        }
    }

    /** Every condition a flag can evaluate: release conditions, super groups, holdouts. */
    private static List<FlagCondition> conditions(FeatureFlag flag) {
        List<FlagCondition> conditions = new ArrayList<>(flag.filters().groups());
        conditions.addAll(flag.filters().superGroups());
        conditions.addAll(flag.filters().holdoutGroups());
        return conditions;
    }

    private static boolean anyFilter(FeatureFlag flag, Predicate<PropertyFilter> test) {
        return conditions(flag).stream().flatMap(c -> c.properties().stream()).anyMatch(c -> anyFilter(c, test));
    }

    private static boolean anyFilter(PropertyCondition condition, Predicate<PropertyFilter> test) {
        return switch (condition) {
            case PropertyFilter filter -> test.test(filter);
            case PropertyGroup group -> group.values().stream().anyMatch(c -> anyFilter(c, test));
        };
    }
}
