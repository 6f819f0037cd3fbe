package dev.ingest.decide.flags;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.StringNode;

/** Relative and absolute dates of the {@code is_date_*} operators. */
class DateValuesTest {
    private static final Clock JAN_1_2020 = Clock.fixed(Instant.parse("2020-01-01T12:01:20.134Z"), ZoneOffset.UTC);

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "1h,    2020-01-01T11:01:20.134Z",
        "24h,   2019-12-31T12:01:20.134Z",
        "-1d,   2019-12-31T12:01:20.134Z",
        "30d,   2019-12-02T12:01:20.134Z",
        "1w,    2019-12-25T12:01:20.134Z",
        "8w,    2019-11-06T12:01:20.134Z",
        "1m,    2019-12-01T12:01:20.134Z",
        "12m,   2019-01-01T12:01:20.134Z",
        "1y,    2019-01-01T12:01:20.134Z",
        "000h,  2020-01-01T12:01:20.134Z",
        "9999d, 1992-08-16T12:01:20.134Z",
    })
    void relativeDates(String text, Instant expected) {
        assertThat(DateValues.relative(text, JAN_1_2020)).contains(expected);
    }

    @ParameterizedTest(name = "{0} is not relative")
    @CsvSource({"10000d", "100000000000000000000y", "1", "1x", "1.2y", "1s", "bazinga", "-d", "1H", "--1d"})
    void notRelative(String text) {
        assertThat(DateValues.relative(text, JAN_1_2020)).isEmpty();
    }

    @Test
    void monthsClampToTheEndOfTheMonth() {
        Clock march31 = Clock.fixed(Instant.parse("2024-03-31T08:00:00Z"), ZoneOffset.UTC);
        assertThat(DateValues.relative("-1m", march31)).contains(Instant.parse("2024-02-29T08:00:00Z"));
        Clock leapDay = Clock.fixed(Instant.parse("2024-02-29T08:00:00Z"), ZoneOffset.UTC);
        assertThat(DateValues.relative("-1y", leapDay)).contains(Instant.parse("2023-02-28T08:00:00Z"));
    }

    @Test
    void naiveDatesAreInTheClockZoneAndOffsetsAreKept() {
        Clock plusTwo = Clock.fixed(Instant.parse("2024-06-15T12:00:00Z"), ZoneId.of("Europe/Berlin"));
        assertThat(DateValues.absolute("2024-06-01", plusTwo.getZone())).contains(Instant.parse("2024-05-31T22:00:00Z"));
        assertThat(DateValues.absolute("2024-06-01T10:00", plusTwo.getZone())).contains(Instant.parse("2024-06-01T08:00:00Z"));
        assertThat(DateValues.absolute("2024-06-01T10:00:00Z", plusTwo.getZone())).contains(Instant.parse("2024-06-01T10:00:00Z"));

        PropertyFilter after = PropertyFilter.person("d", Operator.IS_DATE_AFTER, StringNode.valueOf("2024-06-01"));
        Map<String, JsonNode> props = Map.of("d", StringNode.valueOf("2024-05-31T23:00:00Z"));
        assertThat(PropertyMatcher.matches(after, props, plusTwo)).isTrue();
        assertThat(PropertyMatcher.matches(after, props, plusTwo.withZone(ZoneOffset.UTC))).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "2024-06-01T10:00:00.123456Z",
        "2024-06-01T10:00:00.123456+00:00",
        "2024-06-01 10:00:00.123456+00:00",
        "2024-06-01t10:00:00.123456z",
    })
    void isoVariants(String text) {
        assertThat(DateValues.absolute(text, ZoneOffset.UTC)).contains(Instant.parse("2024-06-01T10:00:00.123456Z"));
    }

    @Test
    void epochSecondsKeepTheirFraction() {
        assertThat(DateValues.fromEpochSeconds(1.5)).contains(Instant.ofEpochSecond(1, 500_000_000));
        assertThat(DateValues.fromEpochSeconds(-1.25)).contains(Instant.ofEpochSecond(-2, 750_000_000));
        assertThat(DateValues.fromEpochSeconds(1e300)).isEmpty();
        assertThat(DateValues.fromEpochSeconds(Double.NaN)).isEmpty();
    }
}
