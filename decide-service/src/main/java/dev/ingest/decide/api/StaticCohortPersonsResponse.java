package dev.ingest.decide.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * What adding persons to a static cohort did.
 *
 * @param added persons that were not members before
 * @param count the cohort's members now
 * @param unknownDistinctIds distinct ids that no person of the project has (nothing was added for them)
 */
public record StaticCohortPersonsResponse(
        @JsonProperty("cohort_id") long cohortId,
        long added,
        long count,
        @JsonProperty("unknown_distinct_ids") List<String> unknownDistinctIds) {}
