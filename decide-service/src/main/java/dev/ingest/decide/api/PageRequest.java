package dev.ingest.decide.api;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * {@code ?limit=&offset=} of a list request (PostHog's limit/offset pagination).
 *
 * @param limit 1..{@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}
 */
public record PageRequest(int limit, long offset) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public static PageRequest of(String limit, String offset) {
        return new PageRequest(
                (int) parse("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT),
                parse("offset", offset, 0, 0, Long.MAX_VALUE / 2));
    }

    /** The page of {@code results} out of {@code count}, with links that keep the request's other parameters. */
    public <T> Page<T> page(long count, List<T> results, HttpServletRequest request) {
        String next = offset + results.size() < count ? link(request, offset + limit) : null;
        String previous = offset > 0 ? link(request, Math.max(0, offset - limit)) : null;
        return new Page<>(count, next, previous, results);
    }

    private String link(HttpServletRequest request, long newOffset) {
        return ServletUriComponentsBuilder.fromRequest(request)
                .replaceQueryParam("limit", limit)
                .replaceQueryParam("offset", newOffset)
                .toUriString();
    }

    private static long parse(String name, String value, long fallback, long min, long max) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        if (!value.strip().matches("\\d{1,18}")) {
            throw ApiException.invalid(name, "A valid integer is required.");
        }
        return Math.min(max, Math.max(min, Long.parseLong(value.strip())));
    }
}
