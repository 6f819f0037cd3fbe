package dev.ingest.decide.flags;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.TemporalAccessor;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Dates for the {@code is_date_*} operators (PostHog's flags service, {@code properties/property_matching.rs}). Naive dates and times are read in the clock's zone (the
 * team time zone; UTC unless the caller says otherwise), values with an offset keep it.
 */
final class DateValues {
    /** {@code -?<n><h|d|w|m|y>}; "30d" and "-30d" both mean 30 days ago. */
    private static final Pattern RELATIVE = Pattern.compile("-?([0-9]+)([hdwmy])");
    private static final int MAX_RELATIVE_AMOUNT = 10_000;
    private static final Pattern SPACE_SEPARATED = Pattern.compile("(\\d{4}-\\d{2}-\\d{2}) (\\d{2}:.*)");
    private static final DateTimeFormatter ISO_FLEXIBLE = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart()
            .appendLiteral('T')
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart()
            .appendOffset("+HH:MM:ss", "Z")
            .optionalEnd()
            .optionalStart()
            .appendOffset("+HHMM", "Z")
            .optionalEnd()
            .optionalStart()
            .appendOffset("+HH", "Z")
            .optionalEnd()
            .optionalEnd()
            .toFormatter();

    private DateValues() {}

    /** The filter side: a relative date anchored at the clock's now, else an absolute date. */
    static Optional<Instant> filterDate(JsonNode value, Clock clock) {
        if (value == null || !value.isString()) {
            return Optional.empty();
        }
        return parseText(value.stringValue(), clock);
    }

    /**
     * The person side: unix seconds (a number or a numeric string, fractions allowed), else a date string parsed
     * like the filter side.
     */
    static Optional<Instant> propertyDate(JsonNode value, Clock clock) {
        if (value == null) {
            return Optional.empty();
        }
        if (value.isNumber()) {
            return fromEpochSeconds(value.doubleValue());
        }
        if (value.isString()) {
            OptionalDouble seconds = JsonValues.parseRustFloat(value.stringValue());
            if (seconds.isPresent()) {
                return fromEpochSeconds(seconds.getAsDouble());
            }
            return parseText(value.stringValue(), clock);
        }
        return Optional.empty();
    }

    static Optional<Instant> parseText(String text, Clock clock) {
        String trimmed = text.strip();
        Optional<Instant> relative = relative(trimmed, clock);
        return relative.isPresent() ? relative : absolute(trimmed, clock.getZone());
    }

    /** {@code -3d} etc. with n below 10,000; months and years are calendar months and years (end of month clamps). */
    static Optional<Instant> relative(String text, Clock clock) {
        Matcher matcher = RELATIVE.matcher(text);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        String digits = matcher.group(1).replaceFirst("^0+(?=.)", "");
        if (digits.length() > 5 || Integer.parseInt(digits) >= MAX_RELATIVE_AMOUNT) {
            return Optional.empty();
        }
        int amount = Integer.parseInt(digits);
        ZonedDateTime now = ZonedDateTime.now(clock);
        ZonedDateTime then = switch (matcher.group(2)) {
            case "h" -> now.minusHours(amount);
            case "d" -> now.minusDays(amount);
            case "w" -> now.minusWeeks(amount);
            case "m" -> now.minusMonths(amount);
            default -> now.minusYears(amount);
        };
        return Optional.of(then.toInstant());
    }

    static Optional<Instant> absolute(String text, ZoneId zone) {
        Matcher spaced = SPACE_SEPARATED.matcher(text);
        String iso = spaced.matches() ? spaced.group(1) + "T" + spaced.group(2) : text;
        try {
            TemporalAccessor parsed =
                    ISO_FLEXIBLE.parseBest(iso, OffsetDateTime::from, LocalDateTime::from, LocalDate::from);
            return Optional.of(switch (parsed) {
                case OffsetDateTime offset -> offset.toInstant();
                case LocalDateTime local -> local.atZone(zone).toInstant();
                case LocalDate date -> date.atStartOfDay(zone).toInstant();
                default -> throw new DateTimeException("unexpected " + parsed);
            });
        } catch (DateTimeException notIso) {
            try {
                return Optional.of(ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeException notRfc1123) {
                return Optional.empty();
            }
        }
    }

    static Optional<Instant> fromEpochSeconds(double seconds) {
        if (!Double.isFinite(seconds)) {
            return Optional.empty();
        }
        double whole = Math.floor(seconds);
        long nanos = Math.round((seconds - whole) * 1_000_000_000d);
        try {
            return Optional.of(Instant.ofEpochSecond((long) whole, nanos));
        } catch (DateTimeException | ArithmeticException outOfRange) {
            return Optional.empty();
        }
    }
}
