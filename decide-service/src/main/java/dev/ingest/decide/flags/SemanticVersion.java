package dev.ingest.decide.flags;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A semantic version for the {@code semver_*} operators, read as PostHog's flags service reads it: the text is
 * canonicalised (a leading lower-case {@code v} and surrounding blanks dropped, leading zeros of numeric core parts
 * dropped, a missing minor or patch padded with 0: "v3.08" is 3.8.0) and then parsed strictly as semver 2.0 (no
 * fourth part, no empty identifiers, no leading zeros in numeric pre-release identifiers). Order and equality are
 * those of Rust's {@code semver} crate: core, then pre-release by semver precedence, then build metadata.
 */
record SemanticVersion(long major, long minor, long patch, List<String> pre, List<String> build)
        implements Comparable<SemanticVersion> {
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern IDENTIFIER = Pattern.compile("[0-9A-Za-z-]+");

    SemanticVersion {
        pre = List.copyOf(pre);
        build = List.copyOf(build);
    }

    /** The property or filter value's version, or empty when it is not one. */
    static Optional<SemanticVersion> parse(String raw) {
        return strict(canonical(normalized(raw)));
    }

    /** Drops one leading lower-case {@code v}, then surrounding blanks. */
    static String normalized(String raw) {
        return (raw.startsWith("v") ? raw.substring(1) : raw).strip();
    }

    /** Leading zeros off the all-digit core parts and the core padded to three parts; the suffix untouched. */
    static String canonical(String version) {
        int suffixAt = indexOfAny(version, "-+");
        String core = suffixAt < 0 ? version : version.substring(0, suffixAt);
        String suffix = suffixAt < 0 ? "" : version.substring(suffixAt);
        List<String> parts = new ArrayList<>();
        for (String part : core.split("\\.", -1)) {
            parts.add(stripLeadingZeros(part));
        }
        while (parts.size() < 3) {
            parts.add("0");
        }
        return String.join(".", parts) + suffix;
    }

    static String stripLeadingZeros(String part) {
        if (!DIGITS.matcher(part).matches()) {
            return part;
        }
        String trimmed = part.replaceFirst("^0+", "");
        return trimmed.isEmpty() ? "0" : trimmed;
    }

    /** semver 2.0's grammar, as the crate parses it. */
    static Optional<SemanticVersion> strict(String text) {
        int buildAt = text.indexOf('+');
        String build = buildAt < 0 ? null : text.substring(buildAt + 1);
        String rest = buildAt < 0 ? text : text.substring(0, buildAt);
        int preAt = rest.indexOf('-');
        String pre = preAt < 0 ? null : rest.substring(preAt + 1);
        String core = preAt < 0 ? rest : rest.substring(0, preAt);
        String[] numbers = core.split("\\.", -1);
        if (numbers.length != 3) {
            return Optional.empty();
        }
        long[] parsed = new long[3];
        for (int i = 0; i < 3; i++) {
            Optional<Long> number = numericPart(numbers[i]);
            if (number.isEmpty()) {
                return Optional.empty();
            }
            parsed[i] = number.get();
        }
        Optional<List<String>> preIds = identifiers(pre, true);
        Optional<List<String>> buildIds = identifiers(build, false);
        if (preIds.isEmpty() || buildIds.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SemanticVersion(parsed[0], parsed[1], parsed[2], preIds.get(), buildIds.get()));
    }

    /** A core number: digits, no leading zero, within an unsigned 64-bit integer. */
    static Optional<Long> numericPart(String text) {
        if (!DIGITS.matcher(text).matches() || (text.length() > 1 && text.charAt(0) == '0') || text.length() > 20) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseUnsignedLong(text));
        } catch (NumberFormatException tooLarge) {
            return Optional.empty();
        }
    }

    private static Optional<List<String>> identifiers(String text, boolean preRelease) {
        if (text == null) {
            return Optional.of(List.of());
        }
        List<String> ids = List.of(text.split("\\.", -1));
        for (String id : ids) {
            if (!IDENTIFIER.matcher(id).matches()) {
                return Optional.empty();
            }
            if (preRelease && DIGITS.matcher(id).matches() && id.length() > 1 && id.charAt(0) == '0') {
                return Optional.empty();
            }
        }
        return Optional.of(ids);
    }

    /** {@code semver_tilde}: the requirement {@code ~<canonical version>}. */
    static Optional<Predicate<SemanticVersion>> tilde(String raw) {
        return VersionRequirement.parse("~" + canonical(normalized(raw)));
    }

    /** {@code semver_caret}: the requirement {@code ^<canonical version>}. */
    static Optional<Predicate<SemanticVersion>> caret(String raw) {
        return VersionRequirement.parse("^" + canonical(normalized(raw)));
    }

    /**
     * {@code semver_wildcard}: the value as a requirement with {@code *} read as {@code x} and leading zeros dropped
     * ({@code 1.2.*}, {@code 1.*}, {@code *}); like the crate, a value without a wildcard is a caret requirement.
     */
    static Optional<Predicate<SemanticVersion>> wildcard(String raw) {
        List<String> parts = new ArrayList<>();
        for (String part : normalized(raw).split("\\.", -1)) {
            parts.add(stripLeadingZeros(part));
        }
        return VersionRequirement.parse(String.join(".", parts).replace('*', 'x'));
    }

    boolean hasPreRelease() {
        return !pre.isEmpty();
    }

    @Override
    public int compareTo(SemanticVersion other) {
        int order = Long.compareUnsigned(major, other.major);
        if (order == 0) {
            order = Long.compareUnsigned(minor, other.minor);
        }
        if (order == 0) {
            order = Long.compareUnsigned(patch, other.patch);
        }
        if (order == 0) {
            order = comparePre(pre, other.pre);
        }
        return order != 0 ? order : compareBuild(build, other.build);
    }

    /** semver precedence: no pre-release ranks above any; numeric identifiers below alphanumeric ones. */
    static int comparePre(List<String> left, List<String> right) {
        if (left.isEmpty() || right.isEmpty()) {
            return Boolean.compare(left.isEmpty(), right.isEmpty());
        }
        for (int i = 0; i < Math.min(left.size(), right.size()); i++) {
            int order = compareIdentifiers(left.get(i), right.get(i));
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(left.size(), right.size());
    }

    /** The crate's build-metadata order: none first; numeric parts by value (then text), numeric below others. */
    private static int compareBuild(List<String> left, List<String> right) {
        if (left.isEmpty() || right.isEmpty()) {
            return Boolean.compare(!left.isEmpty(), !right.isEmpty());
        }
        for (int i = 0; i < left.size(); i++) {
            if (i >= right.size()) {
                return 1;
            }
            String a = left.get(i);
            String b = right.get(i);
            boolean aDigits = DIGITS.matcher(a).matches();
            boolean bDigits = DIGITS.matcher(b).matches();
            int order;
            if (aDigits && bDigits) {
                order = a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
            } else if (aDigits != bDigits) {
                return aDigits ? -1 : 1;
            } else {
                order = a.compareTo(b);
            }
            if (order != 0) {
                return order;
            }
        }
        return left.size() == right.size() ? 0 : -1;
    }

    private static int compareIdentifiers(String left, String right) {
        boolean leftNumeric = DIGITS.matcher(left).matches();
        boolean rightNumeric = DIGITS.matcher(right).matches();
        if (leftNumeric && rightNumeric) {
            return left.length() != right.length() ? Integer.compare(left.length(), right.length()) : left.compareTo(right);
        }
        if (leftNumeric != rightNumeric) {
            return leftNumeric ? -1 : 1;
        }
        return left.compareTo(right);
    }

    private static int indexOfAny(String text, String characters) {
        for (int i = 0; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
