package dev.ingest.decide.flags;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code regex}/{@code not_regex} patterns, compiled once, with the flags PostHog's flags service uses (the
 * {@code fancy_regex} crate with no flags: case-sensitive, {@code .} does not match a newline, unanchored search).
 *
 * <p>A pattern RE2/J accepts runs on it, in linear time, as the service's automaton runs such patterns. A pattern only
 * a backtracking engine accepts (look-around, back-references) runs on {@code java.util.regex} with a budget of
 * character reads, as the service bounds its backtracking: a search over the budget, like an invalid pattern, is
 * "no answer" and the filter matches for neither operator.
 */
final class RegexCache {
    private static final int MAX_ENTRIES = 10_000;
    /** Character reads one backtracking search may make. */
    static final int BACKTRACKING_BUDGET = 200_000;
    private static final ConcurrentHashMap<String, Compiled> CACHE = new ConcurrentHashMap<>();

    private sealed interface Compiled {}

    private record Linear(Pattern pattern) implements Compiled {}

    private record Backtracking(java.util.regex.Pattern pattern) implements Compiled {}

    private record Invalid() implements Compiled {}

    private RegexCache() {}

    /** Whether {@code pattern} is found in {@code text}; empty when the pattern is invalid or the search too costly. */
    static Optional<Boolean> find(String pattern, String text) {
        return switch (compile(pattern)) {
            case Linear linear -> Optional.of(linear.pattern().matcher(text).find());
            case Backtracking backtracking -> {
                try {
                    yield Optional.of(backtracking.pattern().matcher(new BudgetedText(text)).find());
                } catch (BudgetedText.Exhausted tooCostly) {
                    yield Optional.empty();
                }
            }
            case Invalid invalid -> Optional.empty();
        };
    }

    private static Compiled compile(String regex) {
        Compiled cached = CACHE.get(regex);
        if (cached != null) {
            return cached;
        }
        if (CACHE.size() >= MAX_ENTRIES) {
            CACHE.clear();
        }
        return CACHE.computeIfAbsent(regex, RegexCache::compileUncached);
    }

    private static Compiled compileUncached(String regex) {
        try {
            return new Linear(Pattern.compile(regex));
        } catch (PatternSyntaxException | IllegalArgumentException notRe2) {
            try {
                return new Backtracking(java.util.regex.Pattern.compile(regex));
            } catch (IllegalArgumentException invalid) {
                return new Invalid();
            }
        }
    }

    /** A text that stops a search which reads more characters than the budget. */
    private static final class BudgetedText implements CharSequence {
        private static final class Exhausted extends RuntimeException {
            Exhausted() {
                super(null, null, false, false);
            }
        }

        private final String text;
        private final int[] reads;

        BudgetedText(String text) {
            this(text, new int[1]);
        }

        private BudgetedText(String text, int[] reads) {
            this.text = text;
            this.reads = reads;
        }

        @Override
        public char charAt(int index) {
            if (++reads[0] > BACKTRACKING_BUDGET) {
                throw new Exhausted();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new BudgetedText(text.substring(start, end), reads);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
