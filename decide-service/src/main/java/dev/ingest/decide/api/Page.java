package dev.ingest.decide.api;

import java.util.List;

/**
 * PostHog's paginated list: {@code {"count", "next", "previous", "results"}}; {@code next}/{@code previous} are the
 * URLs of the neighbouring pages, or null.
 */
public record Page<T>(long count, String next, String previous, List<T> results) {}
