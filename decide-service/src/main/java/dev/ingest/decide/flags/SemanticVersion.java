package dev.ingest.decide.flags;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A semantic version for the {@code semver_*} operators, read the forgiving way PostHog's Rust engine reads it: an
 * optional leading {@code v}, missing minor/patch padded with 0, leading zeros dropped ("3.08" is 3.8.0). Order is
 * semver 2.0 precedence; build metadata is ignored.
 */
record SemanticVersion(long major, long minor, long patch, List<String> preRelease)
        implements Comparable<SemanticVersion> {
    private static final Pattern NUMBER = Pattern.compile("\\d{1,18}");
    private static final Pattern IDENTIFIER = Pattern.compile("[0-9A-Za-z-]+");
    private static final List<String> LOWEST_PRE_RELEASE = List.of("0");

    SemanticVersion {
        preRelease = List.copyOf(preRelease);
    }

    static Optional<SemanticVersion> parse(String raw) {
        String text = stripPrefix(raw);
        int build = text.indexOf('+');
        if (build >= 0) {
            text = text.substring(0, build);
        }
        List<String> preRelease = List.of();
        int dash = text.indexOf('-');
        if (dash >= 0) {
            preRelease = List.of(text.substring(dash + 1).split("\\.", -1));
            text = text.substring(0, dash);
            if (!preRelease.stream().allMatch(id -> IDENTIFIER.matcher(id).matches())) {
                return Optional.empty();
            }
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length > 3) {
            return Optional.empty();
        }
        long[] numbers = new long[3];
        for (int i = 0; i < parts.length; i++) {
            if (!NUMBER.matcher(parts[i]).matches()) {
                return Optional.empty();
            }
            numbers[i] = Long.parseLong(parts[i]);
        }
        return Optional.of(new SemanticVersion(numbers[0], numbers[1], numbers[2], preRelease));
    }

    /** {@code ~1.2.3}: at least 1.2.3, below 1.3.0. */
    static Optional<Predicate<SemanticVersion>> tilde(String raw) {
        return parse(raw).map(low -> range(low, new SemanticVersion(low.major, low.minor + 1, 0, LOWEST_PRE_RELEASE)));
    }

    /** {@code ^1.2.3}: at least 1.2.3, below the next version that changes the left-most non-zero component. */
    static Optional<Predicate<SemanticVersion>> caret(String raw) {
        return parse(raw).map(low -> {
            SemanticVersion high;
            if (low.major > 0) {
                high = new SemanticVersion(low.major + 1, 0, 0, LOWEST_PRE_RELEASE);
            } else if (low.minor > 0) {
                high = new SemanticVersion(0, low.minor + 1, 0, LOWEST_PRE_RELEASE);
            } else {
                high = new SemanticVersion(0, 0, low.patch + 1, LOWEST_PRE_RELEASE);
            }
            return range(low, high);
        });
    }

    /** {@code 1.2.*}, {@code 1.*}, {@code 1.*.*}, {@code *} (x/X work as *); {@code 1.*.3} is invalid. */
    static Optional<Predicate<SemanticVersion>> wildcard(String raw) {
        String[] parts = stripPrefix(raw).split("\\.", -1);
        List<Long> fixed = new ArrayList<>();
        boolean wildcardSeen = false;
        for (String part : parts) {
            if (part.equals("*") || part.equalsIgnoreCase("x")) {
                wildcardSeen = true;
            } else if (wildcardSeen || !NUMBER.matcher(part).matches()) {
                return Optional.empty();
            } else {
                fixed.add(Long.parseLong(part));
            }
        }
        if (parts.length > 3) {
            return Optional.empty();
        }
        return Optional.of(switch (fixed.size()) {
            case 0 -> version -> true;
            case 1 -> range(
                    new SemanticVersion(fixed.get(0), 0, 0, List.of()),
                    new SemanticVersion(fixed.get(0) + 1, 0, 0, LOWEST_PRE_RELEASE));
            case 2 -> range(
                    new SemanticVersion(fixed.get(0), fixed.get(1), 0, List.of()),
                    new SemanticVersion(fixed.get(0), fixed.get(1) + 1, 0, LOWEST_PRE_RELEASE));
            default -> {
                SemanticVersion exact = new SemanticVersion(fixed.get(0), fixed.get(1), fixed.get(2), List.of());
                yield version -> version.compareTo(exact) == 0;
            }
        });
    }

    private static Predicate<SemanticVersion> range(SemanticVersion inclusiveLow, SemanticVersion exclusiveHigh) {
        return version -> version.compareTo(inclusiveLow) >= 0 && version.compareTo(exclusiveHigh) < 0;
    }

    private static String stripPrefix(String raw) {
        String text = raw.strip();
        if (text.startsWith("v") || text.startsWith("V")) {
            text = text.substring(1).strip();
        }
        return text;
    }

    @Override
    public int compareTo(SemanticVersion other) {
        int core = Long.compare(major, other.major);
        if (core == 0) {
            core = Long.compare(minor, other.minor);
        }
        if (core == 0) {
            core = Long.compare(patch, other.patch);
        }
        if (core != 0) {
            return core;
        }
        if (preRelease.isEmpty() || other.preRelease.isEmpty()) {
            return Boolean.compare(preRelease.isEmpty(), other.preRelease.isEmpty());
        }
        for (int i = 0; i < Math.min(preRelease.size(), other.preRelease.size()); i++) {
            int identifier = compareIdentifiers(preRelease.get(i), other.preRelease.get(i));
            if (identifier != 0) {
                return identifier;
            }
        }
        return Integer.compare(preRelease.size(), other.preRelease.size());
    }

    private static int compareIdentifiers(String left, String right) {
        boolean leftNumeric = NUMBER.matcher(left).matches();
        boolean rightNumeric = NUMBER.matcher(right).matches();
        if (leftNumeric && rightNumeric) {
            return Long.compare(Long.parseLong(left), Long.parseLong(right));
        }
        if (leftNumeric != rightNumeric) {
            return leftNumeric ? -1 : 1;
        }
        return left.compareTo(right);
    }
}
