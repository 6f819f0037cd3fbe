package dev.ingest.plugin.ingestion.step;

import static dev.ingest.plugin.testing.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import dev.ingest.common.kafka.OutgoingRecord;
import dev.ingest.common.kafka.Topics;
import dev.ingest.plugin.ingestion.pipeline.EventContext;
import dev.ingest.plugin.ingestion.pipeline.StepResult;
import dev.ingest.plugin.ingestion.team.Team;
import dev.ingest.plugin.ingestion.warning.IngestionWarnings;
import dev.ingest.plugin.testing.Events;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Heatmap events end in the heatmaps table; other events lose their heatmap data and go on. */
class ExtractHeatmapDataStepTest {
    private static final Instant AT = Instant.parse("2026-12-02T10:00:00.123456Z");
    private static final String POINTS = "\"$viewport_width\": 1280, \"$viewport_height\": 720, \"$session_id\": \"s-1\","
            + " \"$heatmap_data\": {\"https://shop.example/\": [{\"x\": 100, \"y\": 200, \"target_fixed\": false,"
            + " \"type\": \"click\"}]}";
    private final ExtractHeatmapDataStep step = new ExtractHeatmapDataStep(
            new IngestionWarnings(Clock.fixed(AT, ZoneOffset.UTC), new SimpleMeterRegistry()));

    private static Team team(Boolean heatmapsOptIn) {
        Team base = Events.team();
        return new Team(base.id(), base.uuid(), base.name(), base.apiToken(), false, false, null, heatmapsOptIn);
    }

    private static List<JsonNode> heatmapRows(List<OutgoingRecord> records) {
        return records.stream().filter(r -> r.topic().equals(Topics.CLICKHOUSE_HEATMAP_EVENTS))
                .map(r -> Json.read(new String(r.value(), StandardCharsets.UTF_8))).toList();
    }

    @Test
    void aHeatmapEventBecomesRowsAndIsNotStored() {
        EventContext context = event("$$heatmap").team(team(null)).properties("{" + POINTS + "}").build().withTimestamp(AT);

        StepResult<EventContext> result = step.apply(context);

        assertThat(result).isInstanceOfSatisfying(StepResult.Drop.class,
                drop -> assertThat(drop.cause()).isEqualTo("heatmap_extracted"));
        assertThat(heatmapRows(context.effects())).singleElement().satisfies(row -> {
            assertThat(row.toString()).isEqualTo("{\"session_id\":\"s-1\",\"team_id\":" + Events.TEAM_ID
                    + ",\"distinct_id\":\"" + Events.DISTINCT_ID + "\",\"timestamp\":\"2026-12-02 10:00:00.123456\","
                    + "\"x\":6,\"y\":13,\"scale_factor\":16,\"viewport_width\":80,\"viewport_height\":45,"
                    + "\"pointer_target_fixed\":0,\"current_url\":\"https://shop.example/\",\"type\":\"click\"}");
        });
        assertThat(context.effects()).filteredOn(r -> r.topic().equals(Topics.CLICKHOUSE_HEATMAP_EVENTS))
                .allSatisfy(r -> assertThat(r.key()).isEqualTo(Events.EVENT_UUID));
    }

    @Test
    void aProjectThatTurnedHeatmapsOffDropsHeatmapEventsWithoutRows() {
        EventContext context = event("$$heatmap").team(team(false)).properties("{" + POINTS + "}").build().withTimestamp(AT);

        assertThat(step.apply(context)).isInstanceOfSatisfying(StepResult.Drop.class,
                drop -> assertThat(drop.cause()).isEqualTo("heatmap_opt_in_disabled"));
        assertThat(context.effects()).isEmpty();
    }

    @Test
    void anotherEventKeepsGoingWithoutItsHeatmapData() {
        EventContext context = event("$pageview").team(team(false)).properties("{" + POINTS + "}").build().withTimestamp(AT);

        StepResult<EventContext> result = step.apply(context);

        assertThat(result).isInstanceOf(StepResult.Ok.class);
        assertThat(context.properties().has("$heatmap_data")).isFalse();
        assertThat(context.properties().get("$session_id").asString()).isEqualTo("s-1");
        assertThat(heatmapRows(context.effects())).hasSize(1);
    }

    @Test
    void anUnusableHeatmapEventIsDroppedWithAWarning() {
        EventContext context = event("$$heatmap").team(team(true))
                .properties("{\"$heatmap_data\": {\"https://a.example/\": [{\"x\": 1, \"y\": 1, \"target_fixed\": false,"
                        + " \"type\": \"click\"}]}}").build().withTimestamp(AT);

        assertThat(step.apply(context)).isInstanceOfSatisfying(StepResult.Drop.class,
                drop -> assertThat(drop.cause()).isEqualTo("heatmap_invalid_viewport_dimensions"));
        assertThat(Events.warningRows(context.effects())).singleElement().satisfies(row -> {
            assertThat(row.get("type").asString()).isEqualTo("invalid_heatmap_data");
            assertThat(Events.details(row).get("reason").asString()).isEqualTo("heatmap_invalid_viewport_dimensions");
        });
        assertThat(heatmapRows(context.effects())).isEmpty();
    }
}
