package dev.ingest.plugin.ingestion.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.plugin.ingestion.event.TimestampResolver.Input;
import dev.ingest.plugin.ingestion.event.TimestampResolver.Result;
import dev.ingest.plugin.ingestion.event.TimestampResolver.Warning;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docs/posthog-compatibility.md#timestamps, with every vector of PostHog's
 * {@code nodejs/tests/worker/ingestion/timestamps.test.ts} (formerly
 * {@code plugin-server/tests/worker/ingestion/timestamps.test.ts}).
 */
class TimestampResolverTest {
    /** The "server now" fallback all of PostHog's timestamps.test.ts uses. */
    private static final Instant SERVER_NOW = Instant.parse("2020-08-12T01:02:00.000Z");
    private static final String UUID = "0189a2b4-0000-7000-8000-000000000001";
    private static final String EVENT = "$pageview";

    private final TimestampResolver resolver = new TimestampResolver(Clock.fixed(SERVER_NOW, ZoneOffset.UTC));

    private static Input input(String timestamp, String sentAt, String now, Long offset, boolean ignoreSentAt) {
        return new Input(timestamp, sentAt, now, offset, ignoreSentAt, UUID, EVENT);
    }

    private static Map<String, Object> details(Object... keyValues) {
        Map<String, Object> details = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            details.put((String) keyValues[i], keyValues[i + 1]);
        }
        return details;
    }

    private static String unparseable(String value) {
        return "the input \"" + value + "\" can't be parsed as ISO 8601";
    }

    static Stream<Arguments> testVectors() {
        return Stream.of(
                Arguments.of("1: skew corrected as now + (timestamp - sent_at)",
                        input("2021-10-30T03:02:00.000Z", "2021-10-30T03:12:00.000Z", "2021-10-29T01:44:00.000Z", null, false),
                        "2021-10-29T01:34:00.000Z", List.of()),
                Arguments.of("2: $ignore_sent_at keeps the timestamp as given",
                        input("2021-10-30T03:02:00.000Z", "2021-10-30T03:12:00.000Z", "2021-11-29T01:44:00.000Z", null, true),
                        "2021-10-30T03:02:00.000Z", List.of()),
                Arguments.of("3: invalid sent_at is warned about and ignored",
                        input("2021-10-31T00:44:00.000Z", "invalid", "2021-10-30T01:44:00.000Z", null, false),
                        "2021-10-31T00:44:00.000Z",
                        List.of(new Warning("ignored_invalid_timestamp", details("field", "sent_at", "value", "invalid",
                                "reason", unparseable("invalid"))))),
                Arguments.of("4: zone offsets are honoured",
                        input("2021-10-30T03:02:00.000+04:00", "2021-10-30T03:12:00.000+04:00", "2021-10-29T01:44:00.000Z", null, false),
                        "2021-10-29T01:34:00.000Z", List.of()),
                Arguments.of("5: no sent_at keeps the timestamp as given",
                        input("2021-10-30T03:02:00.000Z", null, "2021-10-30T01:44:00.000Z", null, false),
                        "2021-10-30T03:02:00.000Z", List.of()),
                Arguments.of("6: no timestamp, offset subtracted from now",
                        input(null, "2021-10-30T03:12:00.000+04:00", "2021-10-29T01:44:00.000Z", 6000L, false),
                        "2021-10-29T01:43:54.000Z", List.of()),
                Arguments.of("7: only now and offset",
                        input(null, null, "2021-10-29T01:44:00.000Z", 6000L, false),
                        "2021-10-29T01:43:54.000Z", List.of()),
                Arguments.of("8: an offset sending the year out of bounds falls back to server now",
                        input("2021-10-28T01:00:00.000Z", "2021-10-28T01:05:00.000Z", "2021-10-28T01:10:00.000Z",
                                600000000000000L, false),
                        "2020-08-12T01:02:00.000Z",
                        List.of(new Warning("ignored_invalid_timestamp", details("field", "timestamp",
                                "value", "2021-10-28T01:00:00.000Z", "reason", "out of bounds",
                                "offset", 600000000000000L, "parsed_year", -16992)))),
                Arguments.of("9: unparseable timestamp falls back to server now",
                        input("notISO", null, "2020-01-01T12:00:05.200Z", null, false),
                        "2020-08-12T01:02:00.000Z",
                        List.of(new Warning("ignored_invalid_timestamp", details("field", "timestamp", "value", "notISO",
                                "reason", unparseable("notISO"))))),
                Arguments.of("10: skew-corrected result over 23h ahead is clamped to now",
                        input("2021-10-29T02:30:00.000Z", "2021-10-28T01:00:00.000Z", "2021-10-29T01:00:00.000Z", null, false),
                        "2021-10-29T01:00:00.000Z",
                        List.of(new Warning("event_timestamp_in_future", details(
                                "timestamp", "2021-10-29T02:30:00.000Z", "sentAt", "2021-10-28T01:00:00.000Z",
                                "offset", "", "now", "2021-10-29T01:00:00.000Z", "result", "2021-10-30T02:30:00.000Z",
                                "eventUuid", UUID, "eventName", EVENT)))),
                Arguments.of("11: timestamp over 23h ahead without sent_at is clamped to now",
                        input("2021-10-29T02:30:00.000Z", null, "2021-09-29T01:00:00.000Z", null, false),
                        "2021-09-29T01:00:00.000Z",
                        List.of(new Warning("event_timestamp_in_future", details(
                                "timestamp", "2021-10-29T02:30:00.000Z", "sentAt", "",
                                "offset", "", "now", "2021-09-29T01:00:00.000Z", "result", "2021-10-29T02:30:00.000Z",
                                "eventUuid", UUID, "eventName", EVENT)))),
                Arguments.of("12: negative offset over 23h ahead is clamped to now",
                        input(null, null, "2021-10-29T01:00:00.000Z", -82860000L, false),
                        "2021-10-29T01:00:00.000Z",
                        List.of(new Warning("event_timestamp_in_future", details(
                                "timestamp", "", "sentAt", "",
                                "offset", -82860000L, "now", "2021-10-29T01:00:00.000Z", "result", "2021-10-30T00:01:00.000Z",
                                "eventUuid", UUID, "eventName", EVENT)))));
    }

    @ParameterizedTest(name = "case {0}")
    @MethodSource("testVectors")
    void resolvesEveryTestVectorWithItsWarnings(String name, Input input, String expected, List<Warning> warnings) {
        Result result = resolver.resolve(input);

        assertThat(result.timestamp()).isEqualTo(Instant.parse(expected));
        assertThat(result.warnings()).containsExactlyElementsOf(warnings);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"2021-10-29", "2021-10-29 00:00:00", "2021-10-29 00:00:00.000000", "2021-10-29T00:00:00.000Z",
            "2021-10-29 00:00:00+00:00", "2021-10-29T00:00:00.000-00:00", "2021-10-29T00:00:00.000",
            "2021-10-29T00:00:00.000+00:00", "2021-W43-5", "2021-302"})
    void parsesEveryAcceptedDateFormatAsUtc(String text) {
        assertThat(TimestampResolver.parse(text)).isEqualTo(Instant.parse("2021-10-29T00:00:00Z"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"2021-10-29T02:00:00+02:00", "2021-10-29T02:00:00+0200", "2021-10-29T02:00:00+02",
            "2021-10-28T22:00:00-02:00", "2021-10-29T00:00Z", "2021-10-29T00:00:00.000000000Z"})
    void parsesOtherOffsetAndPrecisionFormsToTheSameInstant(String text) {
        assertThat(TimestampResolver.parse(text)).isEqualTo(Instant.parse("2021-10-29T00:00:00Z"));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @NullAndEmptySource
    @ValueSource(strings = {"notISO", "invalid", "   ", "2021-13-01", "2021-10-29T25:00:00Z"})
    void rejectsTextThatIsNotADate(String text) {
        assertThat(TimestampResolver.parse(text)).isNull();
    }

    @Test
    void zeroOffsetIsIgnored() {
        Result result = resolver.resolve(input(null, null, "2021-10-29T01:44:00.000Z", 0L, false));

        assertThat(result.timestamp()).isEqualTo(Instant.parse("2021-10-29T01:44:00.000Z"));
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void offsetIsIgnoredWhenTheTimestampIsUsedAsGiven() {
        Result result = resolver.resolve(input("2021-10-29T01:00:00.000Z", null, "2021-10-29T01:44:00.000Z", 6000L, false));

        assertThat(result.timestamp()).isEqualTo(Instant.parse("2021-10-29T01:00:00.000Z"));
    }

    @Test
    void offsetOverridesTheSkewCorrectedTimestamp() {
        Result result = resolver.resolve(input("2021-10-29T01:00:00.000Z", "2021-10-29T01:00:10.000Z",
                "2021-10-29T01:44:00.000Z", 6000L, false));

        assertThat(result.timestamp()).isEqualTo(Instant.parse("2021-10-29T01:43:54.000Z"));
    }

    @Test
    void withNothingButNowTheResultIsNow() {
        Result result = resolver.resolve(input(null, null, "2021-10-29T01:44:00.000Z", null, false));

        assertThat(result.timestamp()).isEqualTo(Instant.parse("2021-10-29T01:44:00.000Z"));
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void missingNowFallsBackToServerTime() {
        Result result = resolver.resolve(input(null, null, null, null, false));

        assertThat(result.timestamp()).isEqualTo(SERVER_NOW);
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void ignoredSentAtIsNotParsedSoAnInvalidOneGivesNoWarning() {
        Result result = resolver.resolve(input("2021-10-29T01:00:00.000Z", "invalid", "2021-10-29T01:44:00.000Z", null, true));

        assertThat(result.timestamp()).isEqualTo(Instant.parse("2021-10-29T01:00:00.000Z"));
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void emptySentAtCountsAsAbsent() {
        Result result = resolver.resolve(input("2021-10-29T01:00:00.000Z", "", "2021-10-29T01:44:00.000Z", null, false));

        assertThat(result.timestamp()).isEqualTo(Instant.parse("2021-10-29T01:00:00.000Z"));
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void exactlyTwentyThreeHoursAheadIsStillAccepted() {
        Result result = resolver.resolve(input("2021-10-30T00:00:00.000Z", null, "2021-10-29T01:00:00.000Z", null, false));

        assertThat(result.timestamp()).isEqualTo(Instant.parse("2021-10-30T00:00:00.000Z"));
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void oneMillisecondOverTwentyThreeHoursAheadIsClampedToNow() {
        Result result = resolver.resolve(input("2021-10-30T00:00:00.001Z", null, "2021-10-29T01:00:00.000Z", null, false));

        assertThat(result.timestamp()).isEqualTo(Instant.parse("2021-10-29T01:00:00.000Z"));
        assertThat(result.warnings()).extracting(Warning::type).containsExactly("event_timestamp_in_future");
        assertThat(result.warnings().getFirst().details()).containsEntry("result", "2021-10-30T00:00:00.001Z");
    }

    @Test
    void timestampsInThePastAreKeptHoweverOld() {
        Result result = resolver.resolve(input("2001-01-01T00:00:00.000Z", null, "2021-10-29T01:00:00.000Z", null, false));

        assertThat(result.timestamp()).isEqualTo(Instant.parse("2001-01-01T00:00:00.000Z"));
        assertThat(result.warnings()).isEmpty();
    }

    @Test
    void negativeYearsFromAnOffsetAreOutOfBoundsWithTheParsedYear() {
        Result result = resolver.resolve(input(null, null, "2021-10-29T01:00:00.000Z", Long.MAX_VALUE, false));

        assertThat(result.timestamp()).isEqualTo(SERVER_NOW);
        assertThat(result.warnings()).singleElement().satisfies(warning -> {
            assertThat(warning.type()).isEqualTo("ignored_invalid_timestamp");
            assertThat(warning.details()).containsEntry("field", "timestamp").containsEntry("reason", "out of bounds")
                    .containsEntry("value", "").containsEntry("offset", Long.MAX_VALUE);
            assertThat((Integer) warning.details().get("parsed_year")).isNegative();
        });
    }

    @Test
    void aHugeNegativeOffsetIsCaughtByTheFutureCheck() {
        Result result = resolver.resolve(input(null, null, "2021-10-29T01:00:00.000Z", Long.MIN_VALUE, false));

        assertThat(result.timestamp()).isEqualTo(Instant.parse("2021-10-29T01:00:00.000Z"));
        assertThat(result.warnings()).extracting(Warning::type).containsExactly("event_timestamp_in_future");
    }
}
