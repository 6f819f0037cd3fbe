package dev.ingest.decide.flags;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiled {@code regex}/{@code not_regex} patterns. RE2/J matches in linear time, so a flag definition cannot make
 * the service backtrack for ever. Patterns are compiled case-insensitive and DOTALL, as PostHog's server compiles
 * them; a pattern RE2 rejects (invalid, or using look-around/back-references) is remembered as empty.
 */
final class RegexCache {
    private static final int MAX_ENTRIES = 10_000;
    private static final ConcurrentHashMap<String, Optional<Pattern>> CACHE = new ConcurrentHashMap<>();

    private RegexCache() {}

    static Optional<Pattern> compile(String regex) {
        Optional<Pattern> cached = CACHE.get(regex);
        if (cached != null) {
            return cached;
        }
        if (CACHE.size() >= MAX_ENTRIES) {
            CACHE.clear();
        }
        return CACHE.computeIfAbsent(regex, RegexCache::compileUncached);
    }

    private static Optional<Pattern> compileUncached(String regex) {
        try {
            return Optional.of(Pattern.compile(regex, Pattern.CASE_INSENSITIVE | Pattern.DOTALL));
        } catch (PatternSyntaxException | IllegalArgumentException invalid) {
            return Optional.empty();
        }
    }
}
