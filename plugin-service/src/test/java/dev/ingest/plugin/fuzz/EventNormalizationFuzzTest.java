package dev.ingest.plugin.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ingest.common.event.CapturedEvent;
import dev.ingest.common.json.Json;
import dev.ingest.plugin.ingestion.kafka.ClickHouseRows;
import dev.ingest.plugin.ingestion.pipeline.EventContext;
import dev.ingest.plugin.ingestion.pipeline.PipelineStep;
import dev.ingest.plugin.ingestion.pipeline.StepResult;
import dev.ingest.plugin.ingestion.step.NormalizeEventStep;
import dev.ingest.plugin.ingestion.step.ParseMessageStep;
import dev.ingest.plugin.ingestion.step.ParseTimestampStep;
import dev.ingest.plugin.ingestion.step.PrepareEventStep;
import dev.ingest.plugin.ingestion.step.ValidateEventStep;
import dev.ingest.plugin.ingestion.team.Team;
import dev.ingest.plugin.ingestion.warning.IngestionWarnings;
import dev.ingest.plugin.person.Person;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Whatever event JSON capture let through (capture checks only the event name, distinct id, uuid and the shape of
 * properties), the normalizer and the timestamp resolution never throw: each step answers with an outcome, and an
 * event that gets through has a row ClickHouse accepts (a timestamp within 1970-2105, properties that are JSON).
 * A throw would send an event to the dead-letter topic that PostHog stores. Runs its seeds and regression inputs
 * in every build; fuzz for real (10 s per run, as the other fuzz tests) with
 * {@code JAZZER_FUZZ=1 ./mvnw -pl plugin-service test -Dtest=EventNormalizationFuzzTest}.
 */
class EventNormalizationFuzzTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final IngestionWarnings WARNINGS = new IngestionWarnings(CLOCK, new SimpleMeterRegistry());
    private static final String UUID_TEXT = "0189a2b4-0000-7000-8000-000000000001";
    private static final String[] FIELDS = {"timestamp", "offset", "sent_at", "$set", "$set_once", "$unset", "event",
        "properties", "uuid", "distinct_id"};
    private static final String[] PROPERTIES = {"$ip", "$os_name", "$os", "$browser", "$current_url", "$set",
        "$set_once", "$unset", "$process_person_profile", "$ignore_sent_at", "$elements", "$elements_chain",
        "$groups", "$group_type"};
    private static final String[] VALUES = {"null", "true", "false", "0", "-1", "1e308", "-1e308", "1.5",
        "9223372036854775807", "-9223372036854775808", "99999999999999999999999", "\"\"", "\"x\"", "[]", "{}",
        "[{\"tag_name\":\"a\"}]", "{\"a\":1}", "\"2021-10-29T01:44:00Z\"", "\"+999999999-12-31T23:59:59Z\"",
        "\"-999999999-01-01T00:00:00Z\"", "\"1969-12-31T23:59:59Z\"", "\"2106-01-01T00:00:00Z\"", "\"2021-W01-1\"",
        "\"2021-001\"", "\"2021-10-29 01:44:00\"", "\"\\u0000\"", "\"\\ud800\"", "NaN", "Infinity"};
    private static final String[] TIMES = {"2021-10-29T01:44:00.000Z", "+999999999-12-31T23:59:59Z",
        "-999999999-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "2105-12-31T23:59:59Z", "not a time", "", "0"};

    @FuzzTest(maxDuration = "10s")
    void normalizingAnyEventNeverThrows(FuzzedDataProvider data) {
        StringBuilder event = new StringBuilder("{");
        int fields = data.consumeInt(0, 6);
        for (int i = 0; i < fields; i++) {
            event.append('"').append(data.pickValue(FIELDS)).append("\":").append(value(data)).append(',');
        }
        event.append("\"properties\":{");
        int properties = data.consumeInt(0, 6);
        for (int i = 0; i < properties; i++) {
            event.append(i == 0 ? "" : ",").append('"').append(data.pickValue(PROPERTIES)).append("\":").append(value(data));
        }
        event.append("}}");
        String sentAt = data.consumeBoolean() ? null : data.consumeBoolean() ? data.pickValue(TIMES) : data.consumeString(40);
        String now = data.consumeBoolean() ? data.pickValue(TIMES) : data.consumeString(40);
        boolean anonymizeIps = data.consumeBoolean();
        boolean optOut = data.consumeBoolean();
        String tail = data.consumeRemainingAsString();
        // Either the structured event above, or whatever text the fuzzer made, as capture's "data" string.
        String eventJson = tail.length() > 2 && tail.charAt(0) == '{' ? tail : event.toString();
        normalize(eventJson, sentAt, now, anonymizeIps, optOut);
    }

    /** Runs one capture message through the steps; fails the test if any of them throws or lets a bad row out. */
    static void normalize(String eventJson, String sentAt, String now, boolean anonymizeIps, boolean optOut) {
        CapturedEvent captured = new CapturedEvent(UUID_TEXT, "user-1", "127.0.0.1", eventJson, now, sentAt,
                "phc_fuzz", 2L, "e", null, null);
        EventContext.Source source = new EventContext.Source("events_plugin_ingestion", 0, 1L, "phc_fuzz:user-1",
                Json.writeBytes(captured), Map.of());
        Team team = new Team(2, UUID.fromString("0189a2b4-0000-7000-8000-0000000000aa"), "fuzz", "phc_fuzz",
                anonymizeIps, optOut);
        StepResult<EventContext> result = new ParseMessageStep().apply(EventContext.of(source));
        if (!(result instanceof StepResult.Ok<EventContext> parsed)) {
            return;
        }
        EventContext context = parsed.value().withTeam(team);
        List<PipelineStep> steps = List.of(new ValidateEventStep(WARNINGS), new NormalizeEventStep(),
                new ParseTimestampStep(CLOCK, WARNINGS));
        for (PipelineStep step : steps) {
            if (!(step.apply(context) instanceof StepResult.Ok<EventContext> ok)) {
                return;
            }
            context = ok.value();
        }
        assertThat(ClickHouseRows.inDateTimeRange(context.timestamp())).as("timestamp %s", context.timestamp()).isTrue();
        Person person = new Person(1, UUID.randomUUID(), 2, CLOCK.instant(), Json.object(), false, 0);
        EventContext withPerson = context.withPerson(person, context.processPerson()
                ? EventContext.PersonMode.FULL : EventContext.PersonMode.PROPERTYLESS);
        if (new PrepareEventStep(CLOCK).apply(withPerson) instanceof StepResult.Ok<EventContext> prepared) {
            JsonNode row = Json.read(new String(prepared.value().row().value(), StandardCharsets.UTF_8));
            assertThat(Json.read(row.get("properties").asString()).isObject()).isTrue();
        }
    }

    private static String value(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 2)) {
            case 0 -> data.pickValue(VALUES);
            case 1 -> Json.write(data.consumeString(30));
            default -> Long.toString(data.consumeLong());
        };
    }
}
