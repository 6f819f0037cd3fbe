package dev.ingest.plugin.fuzz;

import static dev.ingest.plugin.testing.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import dev.ingest.plugin.ingestion.pipeline.EventContext;
import dev.ingest.plugin.ingestion.pipeline.StepResult;
import dev.ingest.plugin.ingestion.step.ParseTimestampStep;
import dev.ingest.plugin.ingestion.warning.IngestionWarnings;
import dev.ingest.plugin.testing.Events;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Inputs {@link EventNormalizationFuzzTest} found that made a step throw (the event went to the dead-letter topic
 * instead of being stored with a warning), kept as readable regression tests.
 */
class EventNormalizationCrashersTest {
    private static final Instant SERVER_NOW = Instant.parse("2026-01-01T00:00:00Z");
    /** capture's receive time in {@link Events}' messages. */
    private static final Instant CAPTURE_NOW = Instant.parse("2021-10-29T01:44:00Z");
    private final ParseTimestampStep step = new ParseTimestampStep(Clock.fixed(SERVER_NOW, ZoneOffset.UTC),
            new IngestionWarnings(Clock.fixed(SERVER_NOW, ZoneOffset.UTC), new SimpleMeterRegistry()));

    /**
     * Jackson 3's asLong() throws for NaN and for numbers beyond a long, and capture lets 1e300 through. Such an offset
     * now saturates: far in the past is out of bounds (server time), far in the future is capture's time.
     */
    @ParameterizedTest
    @ValueSource(strings = {"1e300", "Infinity", "99999999999999999999999", "9223372036854775807"})
    void aHugeOffsetFallsBackToServerTime(String offset) {
        EventContext resolved = timestamped(event("e").top("offset", Json.read(offset)).build());

        assertThat(resolved.timestamp()).isEqualTo(SERVER_NOW);
        assertThat(warningTypes(resolved)).containsExactly("ignored_invalid_timestamp");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1e300", "-Infinity", "-99999999999999999999999", "-9223372036854775808"})
    void aHugeNegativeOffsetIsInTheFutureAndFallsBackToCapturesTime(String offset) {
        EventContext resolved = timestamped(event("e").top("offset", Json.read(offset)).build());

        assertThat(resolved.timestamp()).isEqualTo(CAPTURE_NOW);
        assertThat(warningTypes(resolved)).containsExactly("event_timestamp_in_future");
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "\"soon\"", "{}"})
    void anOffsetThatIsNoNumberIsIgnored(String offset) {
        EventContext resolved = timestamped(event("e").top("offset", Json.read(offset)).build());

        assertThat(resolved.timestamp()).isEqualTo(CAPTURE_NOW);
        assertThat(warningTypes(resolved)).isEmpty();
    }

    /** now + (timestamp - sent_at) overflows Instant when the two lie a billion years apart either way. */
    @ParameterizedTest
    @CsvSource({
        "+999999999-12-31T23:59:59Z, -999999999-01-01T00:00:00Z, 2021-10-29T01:44:00Z",
        "-999999999-01-01T00:00:00Z, +999999999-12-31T23:59:59Z, 2021-10-29T01:44:00Z",
        "2021-10-29T01:44:00Z, 2021-10-29T01:44:00Z, +999999999-12-31T23:59:59Z"})
    void skewCorrectionBeyondInstantsRangeFallsBackToServerTime(String timestamp, String sentAt, String now) {
        EventContext resolved = timestamped(event("e").top("timestamp", JsonNodeFactory.instance.stringNode(timestamp))
                .sentAt(sentAt).now(now).build());

        assertThat(resolved.timestamp()).isEqualTo(SERVER_NOW);
        assertThat(warningTypes(resolved)).isNotEmpty().containsOnly("ignored_invalid_timestamp");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"event\":\"e\",\"offset\":NaN}| | 2021-10-29T01:44:00Z",
        "{\"event\":\"e\",\"timestamp\":\"+999999999-12-31T23:59:59Z\"}| -999999999-01-01T00:00:00Z | 2021-10-29T01:44:00Z",
        "{\"event\":\"e\",\"offset\":-9223372036854775808}| | +999999999-12-31T23:59:59Z"})
    void theWholeNormalizationSurvivesThem(String eventJson, String sentAt, String now) {
        EventNormalizationFuzzTest.normalize(eventJson, sentAt, now, false, false);
    }

    private static List<String> warningTypes(EventContext context) {
        return Events.warningRows(context.effects()).stream().map(row -> row.get("type").asString()).toList();
    }

    private EventContext timestamped(EventContext context) {
        StepResult<EventContext> result = step.apply(context);
        assertThat(result).isInstanceOf(StepResult.Ok.class);
        return ((StepResult.Ok<EventContext>) result).value();
    }
}
