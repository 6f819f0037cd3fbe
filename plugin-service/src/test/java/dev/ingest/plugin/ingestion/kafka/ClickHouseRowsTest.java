package dev.ingest.plugin.ingestion.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingest.common.json.Json;
import dev.ingest.common.kafka.OutgoingRecord;
import dev.ingest.common.kafka.Topics;
import dev.ingest.common.time.ClickHouseTime;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The ClickHouse rows (docs/posthog-compatibility.md#person-storage-and-clickhouse-rows, #clickhouse-event-messages,
 * #ingestion-warnings): exact columns, valid UTF-8, storable DateTimes.
 */
class ClickHouseRowsTest {
    private static final UUID EVENT_UUID = UUID.fromString("0189a2b4-0000-7000-8000-000000000001");
    private static final UUID PERSON_UUID = UUID.fromString("0189a2b4-0000-7000-8000-0000000000bb");

    private static ClickHouseRows.EventRow eventRow(String event, String properties, Instant timestamp, String distinctId,
            Instant createdAt, Instant personCreatedAt) {
        return new ClickHouseRows.EventRow(EVENT_UUID, event, properties == null ? null : Json.read(properties), timestamp, 2, distinctId, "a:nth-child=\"1\"",
                createdAt, PERSON_UUID, EmbeddedJson.of("{\"email\":\"a@b.c\"}"), personCreatedAt, "full", false);
    }

    private static ClickHouseRows.EventRow eventRow(Instant timestamp) {
        return eventRow("$pageview", "{\"$browser\":\"Chrome\"}", timestamp, "user-1",
                Instant.parse("2021-10-29T01:35:00.000Z"), Instant.parse("2021-10-01T10:00:00.999Z"));
    }

    private static JsonNode value(OutgoingRecord record) {
        return Json.read(strictUtf8(record.value()));
    }

    private static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new AssertionError("not valid UTF-8", e);
        }
    }

    private static List<String> keys(JsonNode row) {
        return List.copyOf(row.propertyNames());
    }

    @Test
    void eventRowHasExactlyTheKafkaEventsJsonColumns() {
        OutgoingRecord record = ClickHouseRows.event(eventRow(Instant.parse("2021-10-29T01:34:00.000Z")));
        JsonNode row = value(record);

        assertThat(record.topic()).isEqualTo(Topics.CLICKHOUSE_EVENTS_JSON);
        assertThat(record.key()).isEqualTo(EVENT_UUID.toString());
        assertThat(keys(row)).containsExactly("uuid", "event", "properties", "timestamp", "team_id", "project_id",
                "distinct_id", "elements_chain", "created_at", "person_id", "person_properties", "person_created_at",
                "person_mode", "historical_migration");
        assertThat(row.get("uuid").asString()).isEqualTo(EVENT_UUID.toString());
        assertThat(row.get("event").asString()).isEqualTo("$pageview");
        assertThat(row.get("properties").asString()).isEqualTo("{\"$browser\":\"Chrome\"}");
        assertThat(row.get("team_id").isIntegralNumber()).isTrue();
        assertThat(row.get("team_id").asLong()).isEqualTo(2);
        assertThat(row.get("project_id").asLong()).isEqualTo(2);
        assertThat(row.get("distinct_id").asString()).isEqualTo("user-1");
        assertThat(row.get("elements_chain").asString()).isEqualTo("a:nth-child=\"1\"");
        assertThat(row.get("person_id").asString()).isEqualTo(PERSON_UUID.toString());
        assertThat(row.get("person_properties").asString()).isEqualTo("{\"email\":\"a@b.c\"}");
        assertThat(row.get("person_mode").asString()).isEqualTo("full");
        assertThat(row.get("historical_migration").asInt()).isZero();
    }

    @Test
    void eventTimesUseMicrosecondsAndPersonCreatedAtSeconds() {
        JsonNode row = value(ClickHouseRows.event(eventRow(Instant.parse("2021-10-29T01:34:00.000Z"))));

        assertThat(row.get("timestamp").asString()).isEqualTo("2021-10-29 01:34:00.000000");
        assertThat(row.get("created_at").asString()).isEqualTo("2021-10-29 01:35:00.000000");
        assertThat(row.get("person_created_at").asString()).isEqualTo("2021-10-01 10:00:00");
    }

    @Test
    void timestampKeepsMicrosecondsAndDropsNanoseconds() {
        JsonNode row = value(ClickHouseRows.event(eventRow(Instant.parse("2021-10-29T01:34:00.123456789Z"))));

        assertThat(row.get("timestamp").asString()).isEqualTo("2021-10-29 01:34:00.123456");
    }

    static Stream<Arguments> outOfRangeTimes() {
        return Stream.of(
                Arguments.of(Instant.parse("1969-12-31T23:59:59.999Z"), "1970-01-01 00:00:00.000000", "1970-01-01 00:00:00"),
                Arguments.of(Instant.parse("-16992-01-01T00:00:00Z"), "1970-01-01 00:00:00.000000", "1970-01-01 00:00:00"),
                Arguments.of(Instant.parse("2106-01-01T00:00:00Z"), "2105-12-31 23:59:59.000000", "2105-12-31 23:59:59"),
                Arguments.of(Instant.parse("+20000-01-01T00:00:00Z"), "2105-12-31 23:59:59.000000", "2105-12-31 23:59:59"),
                Arguments.of(null, "1970-01-01 00:00:00.000000", "1970-01-01 00:00:00"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outOfRangeTimes")
    void dateTimesAreClampedInto1970To2105(Instant time, String micros, String seconds) {
        JsonNode row = value(ClickHouseRows.event(eventRow("$pageview", "{}", time, "u", time, time)));

        assertThat(row.get("timestamp").asString()).isEqualTo(micros);
        assertThat(row.get("created_at").asString()).isEqualTo(micros);
        assertThat(row.get("person_created_at").asString()).isEqualTo(seconds);
        assertThat(value(ClickHouseRows.person(PERSON_UUID, 2, time, "{}", false, false, 0)).get("created_at").asString())
                .isEqualTo(seconds);
        assertThat(value(ClickHouseRows.warning(2, "t", "{}", time)).get("timestamp").asString()).isEqualTo(micros);
    }

    @Test
    void personlessCreatedAtIsKeptToTheSecond() {
        JsonNode row = value(ClickHouseRows.event(eventRow("$pageview", "{}", Instant.parse("2021-10-29T01:34:00Z"), "u",
                Instant.parse("2021-10-29T01:34:00Z"), Instant.parse("1970-01-01T00:00:05Z"))));

        assertThat(row.get("person_created_at").asString()).isEqualTo("1970-01-01 00:00:05");
    }

    @Test
    void loneSurrogatesInEveryTextColumnBecomeReplacementCharactersAndTheBytesAreValidUtf8() {
        OutgoingRecord record = ClickHouseRows.event(eventRow("bad\uD800", "{\"p\":\"\uDC00x\"}",
                Instant.parse("2021-10-29T01:34:00Z"), "id\uD83D", Instant.parse("2021-10-29T01:34:00Z"),
                Instant.parse("2021-10-29T01:34:00Z")));
        JsonNode row = value(record);

        assertThat(row.get("event").asString()).isEqualTo("bad\uFFFD");
        assertThat(row.get("properties").asString()).isEqualTo("{\"p\":\"\uFFFDx\"}");
        assertThat(row.get("distinct_id").asString()).isEqualTo("id\uFFFD");
    }

    @Test
    void validSurrogatePairsAreKept() {
        JsonNode row = value(ClickHouseRows.event(eventRow("smile \uD83D\uDE00", "{}", Instant.parse("2021-10-29T01:34:00Z"),
                "\uD83D\uDE00", Instant.parse("2021-10-29T01:34:00Z"), Instant.parse("2021-10-29T01:34:00Z"))));

        assertThat(row.get("event").asString()).isEqualTo("smile \uD83D\uDE00");
        assertThat(row.get("distinct_id").asString()).isEqualTo("\uD83D\uDE00");
    }

    static Stream<Arguments> texts() {
        return Stream.of(
                Arguments.of("plain", "plain"),
                Arguments.of("", ""),
                Arguments.of(null, ""),
                Arguments.of("\uD800", "\uFFFD"),
                Arguments.of("\uDC00a", "\uFFFDa"),
                Arguments.of("a\uD83D\uDE00b", "a\uD83D\uDE00b"),
                Arguments.of("\uDE00\uD83D", "\uFFFD\uFFFD"),
                Arguments.of("\uD83D\uD83D\uDE00", "\uFFFD\uD83D\uDE00"),
                Arguments.of("\uD83D\uDE00\uDE00", "\uD83D\uDE00\uFFFD"),
                Arguments.of("caf\u00e9 \u4e2d", "caf\u00e9 \u4e2d"));
    }

    @ParameterizedTest
    @MethodSource("texts")
    void textReplacesOnlyLoneSurrogatesAndNeverReturnsNull(String input, String expected) {
        assertThat(ClickHouseRows.text(input)).isEqualTo(expected);
    }

    @Test
    void nullTextColumnsBecomeEmptyStrings() {
        JsonNode row = value(ClickHouseRows.event(new ClickHouseRows.EventRow(EVENT_UUID, null, null,
                Instant.parse("2021-10-29T01:34:00Z"), 2, null, null, Instant.parse("2021-10-29T01:34:00Z"), PERSON_UUID,
                null, Instant.parse("2021-10-29T01:34:00Z"), null, false)));

        for (String column : List.of("event", "properties", "distinct_id", "elements_chain", "person_properties",
                "person_mode")) {
            assertThat(row.get(column).isString()).as(column).isTrue();
            assertThat(row.get(column).asString()).as(column).isEmpty();
        }
    }

    @Test
    void personRowHasExactlyThePersonColumnsWithNumericFlags() {
        OutgoingRecord record = ClickHouseRows.person(PERSON_UUID, 2, Instant.parse("2021-10-29T01:34:00.500Z"),
                "{\"a\":1}", true, false, 3);
        JsonNode row = value(record);

        assertThat(record.topic()).isEqualTo(Topics.CLICKHOUSE_PERSON);
        assertThat(record.key()).isEqualTo(PERSON_UUID.toString());
        assertThat(keys(row)).containsExactly("id", "created_at", "properties", "team_id", "is_identified", "is_deleted",
                "version");
        assertThat(row.get("id").asString()).isEqualTo(PERSON_UUID.toString());
        assertThat(row.get("created_at").asString()).isEqualTo("2021-10-29 01:34:00");
        assertThat(row.get("properties").asString()).isEqualTo("{\"a\":1}");
        assertThat(row.get("team_id").asLong()).isEqualTo(2);
        assertThat(row.get("is_identified").isIntegralNumber()).isTrue();
        assertThat(row.get("is_identified").asInt()).isEqualTo(1);
        assertThat(row.get("is_deleted").asInt()).isZero();
        assertThat(row.get("version").asLong()).isEqualTo(3);
        assertThat(value(ClickHouseRows.person(PERSON_UUID, 2, Instant.EPOCH, "{}", false, true, 103))
                .get("is_deleted").asInt()).isEqualTo(1);
    }

    @Test
    void distinctIdRowHasExactlyTheDistinctIdColumns() {
        OutgoingRecord record = ClickHouseRows.personDistinctId(PERSON_UUID, 2, "user\uD800", 1, false);
        JsonNode row = value(record);

        assertThat(record.topic()).isEqualTo(Topics.CLICKHOUSE_PERSON_DISTINCT_ID);
        assertThat(keys(row)).containsExactly("person_id", "team_id", "distinct_id", "version", "is_deleted");
        assertThat(row.get("person_id").asString()).isEqualTo(PERSON_UUID.toString());
        assertThat(row.get("distinct_id").asString()).isEqualTo("user\uFFFD");
        assertThat(row.get("version").asLong()).isEqualTo(1);
        assertThat(row.get("is_deleted").asInt()).isZero();
    }

    @Test
    void warningRowHasExactlyTheIngestionWarningColumns() {
        OutgoingRecord record = ClickHouseRows.warning(2, "event_timestamp_in_future", "{\"x\":\"\uDC00\"}",
                Instant.parse("2020-08-12T01:02:00.123Z"));
        JsonNode row = value(record);

        assertThat(record.topic()).isEqualTo(Topics.CLICKHOUSE_INGESTION_WARNINGS);
        assertThat(record.key()).isEqualTo("2");
        assertThat(keys(row)).containsExactly("team_id", "type", "source", "details", "timestamp");
        assertThat(row.get("team_id").asLong()).isEqualTo(2);
        assertThat(row.get("type").asString()).isEqualTo("event_timestamp_in_future");
        assertThat(row.get("source").asString()).isEqualTo("plugin-server");
        assertThat(row.get("details").asString()).isEqualTo("{\"x\":\"\uFFFD\"}");
        assertThat(row.get("timestamp").asString()).isEqualTo("2020-08-12 01:02:00.123000");
    }

    @Test
    void dateTimeRangeIncludesBothEnds() {
        assertThat(ClickHouseRows.inDateTimeRange(ClickHouseRows.MIN_DATETIME)).isTrue();
        assertThat(ClickHouseRows.inDateTimeRange(ClickHouseRows.MAX_DATETIME)).isTrue();
        assertThat(ClickHouseRows.inDateTimeRange(Instant.parse("2021-10-29T01:34:00Z"))).isTrue();
        assertThat(ClickHouseRows.inDateTimeRange(ClickHouseRows.MIN_DATETIME.minusNanos(1))).isFalse();
        assertThat(ClickHouseRows.inDateTimeRange(ClickHouseRows.MAX_DATETIME.plusSeconds(1))).isFalse();
        assertThat(ClickHouseRows.inDateTimeRange(null)).isFalse();
    }

    @Test
    void uuidAcceptsOnlyCanonicalUuids() {
        assertThat(ClickHouseRows.uuid(EVENT_UUID.toString())).isEqualTo(EVENT_UUID);
        assertThatThrownBy(() -> ClickHouseRows.uuid("1-2-3-4-5")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClickHouseRows.uuid(null)).isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<String> propertyValues() {
        return Stream.of("plain", "", "quote \" backslash \\ slash /", "control \u0001\u001f\u007f\n\t\r\b\f",
                "caf\u00e9 \u4e2d \uD83D\uDE00", "lone high \uD800", "\uDC00 lone low", "\uD800", "pair then lone \uD83D\uDE00\uDE00",
                "two highs \uD83D\uD83D\uDE00", "{\"looks\":\"like json\"}", "x".repeat(10_000));
    }

    /** The row as it was written before it was written from the properties' bytes: a map through Jackson. */
    private static byte[] viaDatabind(ClickHouseRows.EventRow row) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("uuid", row.uuid().toString());
        value.put("event", ClickHouseRows.text(row.event()));
        value.put("properties", ClickHouseRows.text(row.properties() == null ? null : Json.write(row.properties())));
        value.put("timestamp", ClickHouseTime.micros(ClickHouseRows.clamp(row.timestamp())));
        value.put("team_id", row.teamId());
        value.put("project_id", row.teamId());
        value.put("distinct_id", ClickHouseRows.text(row.distinctId()));
        value.put("elements_chain", ClickHouseRows.text(row.elementsChain()));
        value.put("created_at", ClickHouseTime.micros(ClickHouseRows.clamp(row.createdAt())));
        value.put("person_id", row.personId().toString());
        value.put("person_properties", ClickHouseRows.text(row.personProperties() == null ? null : row.personProperties().text()));
        value.put("person_created_at", ClickHouseTime.seconds(ClickHouseRows.clamp(row.personCreatedAt())));
        value.put("person_mode", ClickHouseRows.text(row.personMode()));
        value.put("historical_migration", row.historicalMigration() ? 1 : 0);
        return Json.writeBytes(value);
    }

    @ParameterizedTest
    @MethodSource("propertyValues")
    void theEventRowIsByteForByteWhatDatabindWritesOfTheSameRow(String text) {
        ObjectNode properties = Json.object();
        properties.put("value", text);
        properties.put(text, 1);
        properties.putArray("list").add(text).add(1.5).add(-1e-300).add(Double.NaN).addNull().add(true);
        properties.putObject("nested").put("k", text).put("big", new BigInteger("92233720368547758070"));
        ClickHouseRows.EventRow row = new ClickHouseRows.EventRow(EVENT_UUID, text, properties,
                Instant.parse("2021-10-29T01:34:00.123Z"), 2, text, text, Instant.parse("2021-10-29T01:35:00Z"), PERSON_UUID,
                EmbeddedJson.of(Json.write(properties)), Instant.parse("2021-10-01T10:00:00Z"), "full", true);

        byte[] written = ClickHouseRows.event(row).value();

        assertThat(new String(written, StandardCharsets.UTF_8)).isEqualTo(new String(viaDatabind(row), StandardCharsets.UTF_8));
        assertThat(written).isEqualTo(viaDatabind(row));
        strictUtf8(written);
    }
}
