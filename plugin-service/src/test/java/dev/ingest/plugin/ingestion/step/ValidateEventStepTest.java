package dev.ingest.plugin.ingestion.step;

import static dev.ingest.plugin.testing.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.kafka.Topics;
import dev.ingest.plugin.ingestion.pipeline.EventContext;
import dev.ingest.plugin.ingestion.pipeline.StepResult;
import dev.ingest.plugin.ingestion.warning.IngestionWarnings;
import dev.ingest.plugin.testing.Events;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * The uuid and {@code $process_person_profile}: steps 1-2 of docs/posthog-compatibility.md#ingestion-pipeline-order.
 */
class ValidateEventStepTest {
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final ValidateEventStep step = new ValidateEventStep(
            new IngestionWarnings(Clock.fixed(Instant.parse("2020-08-12T01:02:00Z"), ZoneOffset.UTC), metrics));

    private record Outcome(StepResult<EventContext> result, EventContext input) {
        List<JsonNode> warnings() {
            return Events.warningRows(input.effects());
        }

        EventContext ok() {
            assertThat(result).isInstanceOf(StepResult.Ok.class);
            return ((StepResult.Ok<EventContext>) result).value();
        }

        String dropCause() {
            assertThat(result).isInstanceOf(StepResult.Drop.class);
            return ((StepResult.Drop<EventContext>) result).cause();
        }
    }

    private Outcome validate(Events.Builder event) {
        EventContext context = event.build();
        return new Outcome(step.apply(context), context);
    }

    private double warningCount(String type) {
        return metrics.counter("ingest_plugin_ingestion_warnings_total", "type", type).count();
    }

    @Test
    void validEventGoesOnWithPersonProcessingAndNoWarning() {
        Outcome outcome = validate(event("$pageview"));

        assertThat(outcome.ok().processPerson()).isTrue();
        assertThat(outcome.input().effects()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-a-uuid", "", "0189a2b4000070008000000000000001", "0189a2b4-0000-7000-8000-00000000000g"})
    void invalidUuidIsDroppedWithAWarningRecord(String uuid) {
        Outcome outcome = validate(event("$pageview").uuid(uuid));

        assertThat(outcome.dropCause()).isEqualTo("invalid_uuid");
        assertThat(outcome.input().effects()).singleElement()
                .satisfies(record -> assertThat(record.topic()).isEqualTo(Topics.CLICKHOUSE_INGESTION_WARNINGS));
        JsonNode warning = outcome.warnings().getFirst();
        assertThat(warning.get("type").asString()).isEqualTo("skipping_event_invalid_uuid");
        assertThat(warning.get("team_id").asLong()).isEqualTo(Events.TEAM_ID);
        assertThat(warning.get("source").asString()).isEqualTo("plugin-server");
        assertThat(warning.get("timestamp").asString()).isEqualTo("2020-08-12 01:02:00.000000");
        assertThat(Events.details(warning).get("eventUuid").asString()).isEqualTo(uuid);
        assertThat(warningCount("skipping_event_invalid_uuid")).isEqualTo(1);
    }

    @Test
    void missingUuidIsDroppedWithAWarningRecord() {
        Outcome outcome = validate(event("$pageview").uuid(null));

        assertThat(outcome.dropCause()).isEqualTo("invalid_uuid");
        assertThat(outcome.warnings()).extracting(w -> w.get("type").asString())
                .containsExactly("skipping_event_invalid_uuid");
    }

    @Test
    void processPersonProfileFalseTurnsPersonProcessingOff() {
        assertThat(validate(event("$pageview").properties("{'$process_person_profile':false}")).ok().processPerson())
                .isFalse();
    }

    @Test
    void processPersonProfileTrueKeepsPersonProcessingOn() {
        Outcome outcome = validate(event("$pageview").properties("{'$process_person_profile':true}"));

        assertThat(outcome.ok().processPerson()).isTrue();
        assertThat(outcome.warnings()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"'false'", "'true'", "0", "1", "null", "{}", "[]"})
    void nonBooleanProcessPersonProfileWarnsAndDefaultsToTrue(String value) {
        Outcome outcome = validate(event("$pageview").properties("{'$process_person_profile':" + value + "}"));

        assertThat(outcome.ok().processPerson()).isTrue();
        assertThat(outcome.warnings()).singleElement().satisfies(warning -> {
            assertThat(warning.get("type").asString()).isEqualTo("invalid_process_person_profile");
            assertThat(Events.details(warning).get("message").asString())
                    .isEqualTo("Only a boolean value is valid for the $process_person_profile property");
            assertThat(Events.details(warning).get("eventUuid").asString()).isEqualTo(Events.EVENT_UUID);
        });
    }

    @Test
    void nonBooleanProcessPersonProfileOnIdentifyDefaultsToTrueAndIsNotDropped() {
        Outcome outcome = validate(event("$identify").properties("{'$process_person_profile':'false'}"));

        assertThat(outcome.ok().processPerson()).isTrue();
        assertThat(outcome.warnings()).extracting(w -> w.get("type").asString())
                .containsExactly("invalid_process_person_profile");
    }

    @ParameterizedTest
    @ValueSource(strings = {"$identify", "$create_alias", "$merge_dangerously", "$groupidentify"})
    void personOnlyEventWithoutPersonProcessingIsDroppedWithAWarning(String name) {
        Outcome outcome = validate(event(name).properties("{'$process_person_profile':false}"));

        assertThat(outcome.dropCause()).isEqualTo("invalid_event_when_process_person_profile_is_false");
        assertThat(outcome.warnings()).singleElement().satisfies(warning -> {
            assertThat(warning.get("type").asString()).isEqualTo("invalid_event_when_process_person_profile_is_false");
            JsonNode details = Events.details(warning);
            assertThat(details.get("event").asString()).isEqualTo(name);
            assertThat(details.get("eventUuid").asString()).isEqualTo(Events.EVENT_UUID);
            assertThat(details.get("distinctId").asString()).isEqualTo(Events.DISTINCT_ID);
        });
        assertThat(warningCount("invalid_event_when_process_person_profile_is_false")).isEqualTo(1);
    }

    @Test
    void ordinaryEventWithoutPersonProcessingGoesOn() {
        Outcome outcome = validate(event("$pageview").properties("{'$process_person_profile':false}"));

        assertThat(outcome.ok().processPerson()).isFalse();
        assertThat(outcome.warnings()).isEmpty();
    }

    @Test
    void teamOptOutForcesPersonProcessingOffEvenWhenTheEventAsksForIt() {
        Outcome outcome = validate(event("$pageview").team(Events.team(false, true))
                .properties("{'$process_person_profile':true}"));

        assertThat(outcome.ok().processPerson()).isFalse();
    }

    @Test
    void teamOptOutDropsIdentify() {
        Outcome outcome = validate(event("$identify").team(Events.team(false, true)));

        assertThat(outcome.dropCause()).isEqualTo("invalid_event_when_process_person_profile_is_false");
    }

    @Test
    void forceDisableHeaderForcesPersonProcessingOff() {
        Outcome outcome = validate(event("$pageview").header("force_disable_person_processing", "true")
                .properties("{'$process_person_profile':true}"));

        assertThat(outcome.ok().processPerson()).isFalse();
    }

    @Test
    void forceDisableHeaderDropsIdentify() {
        Outcome outcome = validate(event("$identify").header("force_disable_person_processing", "true"));

        assertThat(outcome.dropCause()).isEqualTo("invalid_event_when_process_person_profile_is_false");
    }

    @Test
    void forceDisableHeaderOtherThanTrueChangesNothing() {
        assertThat(validate(event("$pageview").header("force_disable_person_processing", "false")).ok().processPerson())
                .isTrue();
    }

    @Test
    void validationLeavesTheEventDataUnchanged() {
        Outcome outcome = validate(event("$pageview").properties("{'$process_person_profile':'yes','a':1}"));

        assertThat(outcome.ok().data()).isEqualTo(outcome.input().data());
        assertThat(outcome.ok().properties().get("$process_person_profile").asString()).isEqualTo("yes");
    }
}
