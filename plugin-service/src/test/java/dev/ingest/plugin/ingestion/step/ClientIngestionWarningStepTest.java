package dev.ingest.plugin.ingestion.step;

import static dev.ingest.plugin.testing.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.plugin.ingestion.pipeline.EventContext;
import dev.ingest.plugin.ingestion.pipeline.StepResult;
import dev.ingest.plugin.ingestion.warning.IngestionWarnings;
import dev.ingest.plugin.testing.Events;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** $$client_ingestion_warning events become warning rows, never events. */
class ClientIngestionWarningStepTest {
    private final ClientIngestionWarningStep step = new ClientIngestionWarningStep(
            new IngestionWarnings(Clock.systemUTC(), new SimpleMeterRegistry()));

    @Test
    void captureWarningsKeepTheirTypeSourceAndDetails() {
        EventContext context = event("$$client_ingestion_warning").properties("{"
                + "\"$$client_ingestion_warning_type\": \"event_dropped_by_restriction\","
                + "\"$$client_ingestion_warning_source\": \"capture\","
                + "\"$$client_ingestion_warning_details\": {\"restrictionId\": 7, \"count\": 12}}").build();

        assertThat(step.apply(context)).isInstanceOfSatisfying(StepResult.Drop.class,
                drop -> assertThat(drop.cause()).isEqualTo("client_ingestion_warning"));
        assertThat(Events.warningRows(context.effects())).singleElement().satisfies(row -> {
            assertThat(row.get("type").asString()).isEqualTo("event_dropped_by_restriction");
            assertThat(row.get("source").asString()).isEqualTo("capture");
            assertThat(Events.details(row).get("count").asInt()).isEqualTo(12);
            assertThat(Events.details(row).get("restrictionId").asInt()).isEqualTo(7);
        });
    }

    @Test
    void anSdksWarningIsAClientIngestionWarningWithItsMessage() {
        EventContext context = event("$$client_ingestion_warning")
                .properties("{\"$$client_ingestion_warning_message\": \"too many events\","
                        + " \"$$client_ingestion_warning_type\": \"Not A Type!\"}").build();

        step.apply(context);

        assertThat(Events.warningRows(context.effects())).singleElement().satisfies(row -> {
            assertThat(row.get("type").asString()).isEqualTo("client_ingestion_warning");
            assertThat(row.get("source").asString()).isEqualTo("plugin-server");
            assertThat(Events.details(row).get("message").asString()).isEqualTo("too many events");
            assertThat(Events.details(row).get("eventUuid").asString()).isEqualTo(Events.EVENT_UUID);
        });
    }

    @Test
    void otherEventsGoOn() {
        EventContext context = event("$pageview").build();
        assertThat(step.apply(context)).isInstanceOf(StepResult.Ok.class);
        assertThat(context.effects()).isEmpty();
    }
}
