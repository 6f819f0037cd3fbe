package dev.ingest.plugin.ingestion.event;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The event timestamp with clock-skew correction, as PostHog's plugin server computes it
 * (docs/posthog-compatibility.md#timestamps; every case of PostHog's
 * {@code nodejs/tests/worker/ingestion/timestamps.test.ts}). Pure: the inputs and a clock in, the timestamp and its
 * warnings out.
 */
public final class TimestampResolver {
    static final Duration FUTURE_TOLERANCE = Duration.ofHours(23);
    private static final Pattern SPACE_SEPARATED = Pattern.compile("^\\d{4}-\\d{2}-\\d{2} \\d.*");
    private static final DateTimeFormatter OFFSET_COMPACT = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME).appendPattern("[XX][X]").toFormatter();
    private static final DateTimeFormatter LOCAL_DATE_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral('T')
            .appendValue(ChronoField.HOUR_OF_DAY, 2).optionalStart().appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2).optionalStart().appendLiteral(':')
            .appendValue(ChronoField.SECOND_OF_MINUTE, 2).optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).toFormatter();
    /** Luxon's {@code toISO()} of a UTC time, as PostHog writes times into warning details: always milliseconds. */
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Clock clock;

    public TimestampResolver(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param timestamp the event's {@code timestamp} text, or null
     * @param sentAt the request's {@code sent_at} text, or null
     * @param now capture's receive time (ISO-8601), or null
     * @param offsetMillis the event's {@code offset}, or null
     * @param ignoreSentAt {@code properties.$ignore_sent_at} is truthy
     */
    public record Input(String timestamp, String sentAt, String now, Long offsetMillis, boolean ignoreSentAt,
            String eventUuid, String eventName) {}

    public record Warning(String type, Map<String, Object> details) {}

    public record Result(Instant timestamp, List<Warning> warnings) {}

    public Result resolve(Input input) {
        List<Warning> warnings = new ArrayList<>();
        Instant serverNow = Instant.now(clock);
        Instant now = input.now() == null ? null : parse(input.now());
        if (now == null) {
            now = serverNow;
        }
        Instant sentAt = null;
        if (!input.ignoreSentAt() && input.sentAt() != null && !input.sentAt().isEmpty()) {
            sentAt = parse(input.sentAt());
            if (sentAt == null) {
                warnings.add(new Warning("ignored_invalid_timestamp", details("field", "sent_at", "value", input.sentAt(),
                        "reason", unparseable(input.sentAt()))));
            }
        }
        Instant result = now;
        boolean applyOffset = true;
        String invalidReason = null;
        Instant timestamp = null;
        if (input.timestamp() != null) {
            timestamp = parse(input.timestamp());
            if (timestamp == null) {
                invalidReason = unparseable(input.timestamp());
                result = null;
                applyOffset = false;
            } else if (sentAt == null) {
                result = timestamp;
                applyOffset = false;
            }
        }
        Integer year;
        try {
            if (timestamp != null && sentAt != null) {
                result = now.plus(Duration.between(sentAt, timestamp));
            }
            if (applyOffset && input.offsetMillis() != null && input.offsetMillis() != 0) {
                result = now.minusMillis(input.offsetMillis());
            }
            year = result == null ? null : result.atOffset(ZoneOffset.UTC).getYear();
        } catch (DateTimeException | ArithmeticException e) {
            // TRICKY: years far outside 0-9999 (+999999999-12-31, offsets near Long.MAX_VALUE) can overflow Instant
            // itself: the same "out of bounds" as a year beyond 9999, never an exception.
            result = null;
            year = null;
            invalidReason = "out of bounds";
        }
        if (result != null && Duration.between(now, result).compareTo(FUTURE_TOLERANCE) > 0) {
            warnings.add(new Warning("event_timestamp_in_future", details(
                    "timestamp", orEmpty(input.timestamp()), "sentAt", orEmpty(input.sentAt()),
                    "offset", input.offsetMillis() == null ? "" : input.offsetMillis(),
                    "now", input.now() == null ? ISO_MILLIS.format(now) : input.now(),
                    "result", ISO_MILLIS.format(result), "eventUuid", orEmpty(input.eventUuid()),
                    "eventName", orEmpty(input.eventName()))));
            result = now;
            year = now.atOffset(ZoneOffset.UTC).getYear();
        }
        if (result == null) {
            warnings.add(new Warning("ignored_invalid_timestamp", details("field", "timestamp", "value",
                    input.timestamp(), "reason", invalidReason)));
            return new Result(serverNow, warnings);
        }
        if (year < 0 || year > 9999) {
            Map<String, Object> details = details("field", "timestamp", "value", orEmpty(input.timestamp()),
                    "reason", "out of bounds", "offset", input.offsetMillis() == null ? "" : input.offsetMillis());
            details.put("parsed_year", year);
            warnings.add(new Warning("ignored_invalid_timestamp", details));
            return new Result(serverNow, warnings);
        }
        return new Result(result, warnings);
    }

    /**
     * The form nearly every SDK and capture itself send, {@code 2026-11-30T23:19:36.123Z} or with a {@code +hh:mm} /
     * {@code -hh:mm} offset and 0-9 fraction digits, read by hand: the formatter chain below costs microseconds per
     * call and runs three times per event. Null for anything else (or anything out of range), which then takes the
     * chain; so this only ever answers what {@code ISO_OFFSET_DATE_TIME} would have answered.
     */
    static Instant parseCommon(String value) {
        int length = value.length();
        if (length < 20 || value.charAt(4) != '-' || value.charAt(7) != '-' || value.charAt(10) != 'T'
                || value.charAt(13) != ':' || value.charAt(16) != ':') {
            return null;
        }
        int year = digits(value, 0, 4);
        int month = digits(value, 5, 2);
        int day = digits(value, 8, 2);
        int hour = digits(value, 11, 2);
        int minute = digits(value, 14, 2);
        int second = digits(value, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        int position = 19;
        int nanos = 0;
        if (value.charAt(position) == '.') {
            int start = ++position;
            while (position < length && position - start < 10 && value.charAt(position) >= '0'
                    && value.charAt(position) <= '9') {
                nanos = nanos * 10 + (value.charAt(position) - '0');
                position++;
            }
            int count = position - start;
            if (count == 0 || count > 9) {
                return null;
            }
            for (int i = count; i < 9; i++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (position == length - 1 && value.charAt(position) == 'Z') {
            offsetSeconds = 0;
        } else if (position == length - 6 && (value.charAt(position) == '+' || value.charAt(position) == '-')
                && value.charAt(position + 3) == ':') {
            int offsetHours = digits(value, position + 1, 2);
            int offsetMinutes = digits(value, position + 4, 2);
            if (offsetHours < 0 || offsetHours > 18 || offsetMinutes < 0 || offsetMinutes > 59
                    || offsetHours * 60 + offsetMinutes > 18 * 60) {
                return null;
            }
            offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (value.charAt(position) == '-' ? -1 : 1);
        } else {
            return null;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        long epochSecond = epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds;
        return Instant.ofEpochSecond(epochSecond, nanos);
    }

    /** The ASCII digits at {@code start}, {@code count} of them, as a number; -1 when any is not a digit. */
    private static int digits(String value, int start, int count) {
        int result = 0;
        for (int i = start; i < start + count; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            result = result * 10 + (c - '0');
        }
        return result;
    }

    /**
     * Parses the date forms PostHog accepts: ISO-8601 with or without zone (none means UTC), a space instead of
     * the 'T', date only, ISO week dates and ordinal dates. Returns null when the text is none of them.
     */
    public static Instant parse(String text) {
        if (text == null) {
            return null;
        }
        String value = text.trim();
        if (value.isEmpty()) {
            return null;
        }
        Instant common = parseCommon(value);
        if (common != null) {
            return common;
        }
        if (SPACE_SEPARATED.matcher(value).matches()) {
            value = value.charAt(10) == ' ' ? value.substring(0, 10) + 'T' + value.substring(11) : value;
        }
        try {
            return OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException ignored) {
            // next form
        }
        try {
            return OffsetDateTime.parse(value, OFFSET_COMPACT).toInstant();
        } catch (DateTimeParseException ignored) {
            // next form
        }
        try {
            return LocalDateTime.parse(value, LOCAL_DATE_TIME).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            // next form
        }
        for (DateTimeFormatter dateOnly : List.of(DateTimeFormatter.ISO_LOCAL_DATE, DateTimeFormatter.ISO_WEEK_DATE,
                DateTimeFormatter.ISO_ORDINAL_DATE)) {
            try {
                return LocalDate.parse(value, dateOnly).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException ignored) {
                // next form
            }
        }
        return null;
    }

    private static String unparseable(String value) {
        return "the input \"" + value + "\" can't be parsed as ISO 8601";
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static Map<String, Object> details(Object... keyValues) {
        Map<String, Object> details = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            details.put((String) keyValues[i], keyValues[i + 1]);
        }
        return details;
    }
}
