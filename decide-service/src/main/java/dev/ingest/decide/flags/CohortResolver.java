package dev.ingest.decide.flags;

import java.util.Map;
import java.util.Optional;

/**
 * Looks cohorts up for the person being evaluated (so a {@link Cohort.Static} already carries that person's
 * membership). A cohort the resolver does not know matches nothing, not even with {@code not_in} or negation.
 */
@FunctionalInterface
public interface CohortResolver {
    CohortResolver NONE = id -> Optional.empty();

    Optional<Cohort> find(String cohortId);

    static CohortResolver of(Map<String, ? extends Cohort> cohorts) {
        Map<String, Cohort> copy = Map.copyOf(cohorts);
        return id -> Optional.ofNullable(copy.get(id));
    }
}
