package dev.ingest.decide.store;

import java.util.List;

/**
 * The outcome of adding distinct ids to a static cohort.
 *
 * @param added persons that were not members before
 * @param count the cohort's members afterwards
 * @param unknownDistinctIds the distinct ids no person of the project has
 */
public record StaticCohortAddition(long added, long count, List<String> unknownDistinctIds) {}
