package dev.ingest.plugin.ingestion.step;

import static dev.ingest.plugin.testing.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.plugin.ingestion.pipeline.EventContext;
import dev.ingest.plugin.ingestion.pipeline.StepResult;
import dev.ingest.plugin.ingestion.team.Team;
import dev.ingest.plugin.ingestion.warning.IngestionWarnings;
import dev.ingest.plugin.testing.Events;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** Events older than the project's threshold are dropped with PostHog's {@code event_dropped_too_old} warning. */
class DropOldEventsStepTest {
    private static final String RECEIVED = "2024-06-15T12:00:00Z";
    private final DropOldEventsStep step = new DropOldEventsStep(
            new IngestionWarnings(Clock.fixed(Instant.parse(RECEIVED), ZoneOffset.UTC), new SimpleMeterRegistry()),
            Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC));

    private static Team team(Integer dropOlderThanSeconds) {
        Team base = Events.team();
        return new Team(base.id(), base.uuid(), base.name(), base.apiToken(), false, false, dropOlderThanSeconds, null);
    }

    @ParameterizedTest(name = "threshold {0} s, timestamp {1}, received {2} -> dropped {3}")
    @CsvSource(nullValues = "NONE", textBlock = """
            3600, 2024-06-15T10:59:59Z, 2024-06-15T12:00:00Z, true
            3600, 2024-06-15T11:00:00Z, 2024-06-15T12:00:00Z, false
            3600, 2024-06-15T11:30:00Z, 2024-06-15T12:00:00Z, false
            3600, 2025-01-01T00:00:00Z, 2024-06-15T12:00:00Z, false
            60,   2024-06-15T11:58:59Z, 2024-06-15T12:00:00Z, true
            0,    2000-01-01T00:00:00Z, 2024-06-15T12:00:00Z, false
            NONE, 2000-01-01T00:00:00Z, 2024-06-15T12:00:00Z, false
            3600, 2029-12-31T22:00:00Z, not-a-date,           true
            """)
    void anEventOlderThanTheThresholdIsDropped(Integer threshold, String timestamp, String received, boolean dropped) {
        EventContext context = event("$pageview").team(team(threshold)).now(received).build()
                .withTimestamp(Instant.parse(timestamp));

        StepResult<EventContext> result = step.apply(context);

        List<JsonNode> warnings = Events.warningRows(context.effects());
        if (dropped) {
            assertThat(result).isInstanceOfSatisfying(StepResult.Drop.class,
                    drop -> assertThat(drop.cause()).isEqualTo("event_too_old"));
            assertThat(warnings).singleElement().satisfies(row -> {
                assertThat(row.get("type").asString()).isEqualTo("event_dropped_too_old");
                JsonNode details = Events.details(row);
                assertThat(details.get("eventUuid").asString()).isEqualTo(Events.EVENT_UUID);
                assertThat(details.get("event").asString()).isEqualTo("$pageview");
                assertThat(details.get("distinctId").asString()).isEqualTo(Events.DISTINCT_ID);
                assertThat(details.get("eventTimestamp").asString()).isEqualTo(timestamp);
                assertThat(details.get("dropThresholdSeconds").asInt()).isEqualTo(threshold);
                assertThat(details.get("ageInSeconds").asLong()).isGreaterThan(threshold);
            });
        } else {
            assertThat(result).isInstanceOf(StepResult.Ok.class);
            assertThat(warnings).isEmpty();
        }
    }
}
