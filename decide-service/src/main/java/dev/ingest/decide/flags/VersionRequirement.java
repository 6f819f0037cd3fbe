package dev.ingest.decide.flags;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A version requirement as Rust's {@code semver} crate reads and matches it ({@code VersionReq}), for the
 * {@code semver_tilde}, {@code semver_caret} and {@code semver_wildcard} operators: comma-separated comparators, each
 * an operator ({@code = > >= < <= ~ ^}, none meaning {@code ^}) and a version whose minor and patch may be missing or
 * a wildcard ({@code x}, {@code X}, {@code *}); a bare wildcard matches every version. A version with a pre-release
 * only matches when some comparator has a pre-release on the same major.minor.patch.
 */
record VersionRequirement(List<Comparator> comparators) implements Predicate<SemanticVersion> {

    enum Op { EXACT, GREATER, GREATER_EQ, LESS, LESS_EQ, TILDE, CARET, WILDCARD }

    /** One comparator; {@code minor} and {@code patch} are null when missing or a wildcard. */
    record Comparator(Op op, long major, Long minor, Long patch, List<String> pre) {}

    /** The operators a comparator may start with, longest first ({@code >=} before {@code >}). */
    private static final Map<String, Op> PREFIXES = prefixes();

    private static Map<String, Op> prefixes() {
        Map<String, Op> prefixes = new LinkedHashMap<>();
        prefixes.put(">=", Op.GREATER_EQ);
        prefixes.put("<=", Op.LESS_EQ);
        prefixes.put(">", Op.GREATER);
        prefixes.put("<", Op.LESS);
        prefixes.put("=", Op.EXACT);
        prefixes.put("~", Op.TILDE);
        prefixes.put("^", Op.CARET);
        return Collections.unmodifiableMap(prefixes);
    }

    static Optional<Predicate<SemanticVersion>> parse(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return Optional.empty();
        }
        if (isWildcard(trimmed)) {
            return Optional.of(new VersionRequirement(List.of()));
        }
        List<Comparator> comparators = new ArrayList<>();
        for (String part : trimmed.split(",", -1)) {
            Optional<Comparator> comparator = comparator(part.strip());
            if (comparator.isEmpty()) {
                return Optional.empty();
            }
            comparators.add(comparator.get());
        }
        return Optional.of(new VersionRequirement(comparators));
    }

    private static Optional<Comparator> comparator(String text) {
        Op op = Op.CARET;
        boolean explicit = false;
        String rest = text;
        for (Map.Entry<String, Op> prefix : PREFIXES.entrySet()) {
            if (rest.startsWith(prefix.getKey())) {
                op = prefix.getValue();
                rest = rest.substring(prefix.getKey().length());
                explicit = true;
                break;
            }
        }
        rest = rest.strip();
        int preAt = rest.indexOf('-');
        int buildAt = rest.indexOf('+');
        int suffixAt = preAt < 0 ? buildAt : buildAt < 0 ? preAt : Math.min(preAt, buildAt);
        String core = suffixAt < 0 ? rest : rest.substring(0, suffixAt);
        String[] parts = core.split("\\.", -1);
        if (parts.length > 3 || parts[0].isEmpty()) {
            return Optional.empty();
        }
        Optional<Long> major = SemanticVersion.numericPart(parts[0]);
        if (major.isEmpty()) {
            return Optional.empty();
        }
        Long[] numbers = new Long[2];
        boolean wildcard = false;
        for (int i = 1; i < parts.length; i++) {
            if (isWildcard(parts[i])) {
                wildcard = true;
            } else if (wildcard) {
                return Optional.empty();
            } else {
                Optional<Long> number = SemanticVersion.numericPart(parts[i]);
                if (number.isEmpty()) {
                    return Optional.empty();
                }
                numbers[i - 1] = number.get();
            }
        }
        List<String> pre = List.of();
        if (suffixAt >= 0) {
            // A pre-release or build needs the full version; the crate ignores a comparator's build metadata.
            if (parts.length != 3 || wildcard) {
                return Optional.empty();
            }
            Optional<SemanticVersion> full = SemanticVersion.strict(rest);
            if (full.isEmpty()) {
                return Optional.empty();
            }
            pre = full.get().pre();
        }
        if (wildcard) {
            if (explicit && op != Op.EXACT) {
                return Optional.empty();
            }
            op = Op.WILDCARD;
        }
        return Optional.of(new Comparator(op, major.get(), numbers[0], numbers[1], pre));
    }

    private static boolean isWildcard(String part) {
        return part.equals("*") || part.equals("x") || part.equals("X");
    }

    @Override
    public boolean test(SemanticVersion version) {
        for (Comparator comparator : comparators) {
            if (!matches(comparator, version)) {
                return false;
            }
        }
        if (!version.hasPreRelease()) {
            return true;
        }
        for (Comparator comparator : comparators) {
            if (comparator.major() == version.major() && equal(comparator.minor(), version.minor())
                    && equal(comparator.patch(), version.patch()) && !comparator.pre().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private static boolean equal(Long part, long value) {
        return part != null && part == value;
    }

    private static boolean matches(Comparator c, SemanticVersion v) {
        return switch (c.op()) {
            case EXACT, WILDCARD -> exact(c, v);
            case GREATER -> greater(c, v);
            case GREATER_EQ -> exact(c, v) || greater(c, v);
            case LESS -> less(c, v);
            case LESS_EQ -> exact(c, v) || less(c, v);
            case TILDE -> tilde(c, v);
            case CARET -> caret(c, v);
        };
    }

    private static boolean exact(Comparator c, SemanticVersion v) {
        return v.major() == c.major() && (c.minor() == null || v.minor() == c.minor())
                && (c.patch() == null || v.patch() == c.patch()) && SemanticVersion.comparePre(v.pre(), c.pre()) == 0;
    }

    private static boolean greater(Comparator c, SemanticVersion v) {
        return beyond(c, v, 1);
    }

    private static boolean less(Comparator c, SemanticVersion v) {
        return beyond(c, v, -1);
    }

    /**
     * Whether {@code v} lies beyond the comparator's version in {@code direction} (1 above, -1 below), a missing
     * minor or patch standing for "any": {@code >1} means a major above 1.
     */
    private static boolean beyond(Comparator c, SemanticVersion v, int direction) {
        if (v.major() != c.major()) {
            return Long.signum(Long.compareUnsigned(v.major(), c.major())) == direction;
        }
        if (c.minor() == null) {
            return false;
        }
        if (v.minor() != c.minor()) {
            return Long.signum(Long.compareUnsigned(v.minor(), c.minor())) == direction;
        }
        if (c.patch() == null) {
            return false;
        }
        if (v.patch() != c.patch()) {
            return Long.signum(Long.compareUnsigned(v.patch(), c.patch())) == direction;
        }
        return Integer.signum(SemanticVersion.comparePre(v.pre(), c.pre())) == direction;
    }

    private static boolean tilde(Comparator c, SemanticVersion v) {
        if (v.major() != c.major()) {
            return false;
        }
        if (c.minor() != null && v.minor() != c.minor()) {
            return false;
        }
        if (c.patch() != null && v.patch() != c.patch()) {
            return Long.compareUnsigned(v.patch(), c.patch()) > 0;
        }
        return SemanticVersion.comparePre(v.pre(), c.pre()) >= 0;
    }

    private static boolean caret(Comparator c, SemanticVersion v) {
        if (v.major() != c.major()) {
            return false;
        }
        if (c.minor() == null) {
            return true;
        }
        long minor = c.minor();
        if (c.patch() == null) {
            return c.major() > 0 ? Long.compareUnsigned(v.minor(), minor) >= 0 : v.minor() == minor;
        }
        long patch = c.patch();
        if (c.major() > 0) {
            if (v.minor() != minor) {
                return Long.compareUnsigned(v.minor(), minor) > 0;
            }
            if (v.patch() != patch) {
                return Long.compareUnsigned(v.patch(), patch) > 0;
            }
        } else if (minor > 0) {
            if (v.minor() != minor) {
                return false;
            }
            if (v.patch() != patch) {
                return Long.compareUnsigned(v.patch(), patch) > 0;
            }
        } else if (v.minor() != minor || v.patch() != patch) {
            return false;
        }
        return SemanticVersion.comparePre(v.pre(), c.pre()) >= 0;
    }
}
