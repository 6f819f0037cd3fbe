package dev.ingest.plugin.ingestion.heatmap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.plugin.ingestion.heatmap.HeatmapExtractor.Extraction;
import dev.ingest.plugin.ingestion.kafka.ClickHouseRows.HeatmapRow;
import dev.ingest.plugin.testing.Events;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Heatmap points as PostHog's extract-heatmap-data step takes them out of events. */
class HeatmapExtractorTest {
    private static final String UUID = "0189a2b4-0000-7000-8000-000000000001";
    private static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");
    private static final String VIEWPORT = "\"$viewport_width\": 1280, \"$viewport_height\": 720, \"$session_id\": \"s-1\"";

    private static Extraction extract(String distinctId, String properties) {
        return HeatmapExtractor.extract(UUID, 2, distinctId, AT, Events.json(properties));
    }

    private static Extraction extract(String properties) {
        return extract("user-1", properties);
    }

    @Test
    void everyPointBecomesARowScaledBySixteen() {
        Extraction extraction = extract("{" + VIEWPORT + ", \"$heatmap_data\": {\"https://shop.example/cart\": ["
                + "{\"x\": 100, \"y\": 200, \"target_fixed\": false, \"type\": \"click\"},"
                + "{\"x\": 24, \"y\": 40, \"target_fixed\": true, \"type\": \"rageclick\"}],"
                + "\"https://shop.example/\": [{\"x\": 8, \"y\": 7.9, \"target_fixed\": false, \"type\": \"mousemove\"}]}}");

        assertThat(extraction.unusable()).isNull();
        assertThat(extraction.warnings()).isEmpty();
        assertThat(extraction.rows()).containsExactly(
                new HeatmapRow(UUID, "s-1", 2, "user-1", AT, 6, 13, 16, 80, 45, false, "https://shop.example/cart", "click"),
                new HeatmapRow(UUID, "s-1", 2, "user-1", AT, 2, 3, 16, 80, 45, true, "https://shop.example/cart", "rageclick"),
                new HeatmapRow(UUID, "s-1", 2, "user-1", AT, 1, 0, 16, 80, 45, false, "https://shop.example/", "mousemove"));
    }

    @ParameterizedTest(name = "{0} px -> {1}")
    @CsvSource(textBlock = """
            8, 1
            7.99, 0
            -8, 0
            -8.01, -1
            24, 2
            524280, 32768
            524271, 32767
            -524288, -32768
            """)
    void roundsHalfUpAsJavaScriptAndRefusesWhatInt16CannotHold(String pixels, int cell) {
        Extraction extraction = extract("{" + VIEWPORT + ", \"$heatmap_data\": {\"https://a.example/\": ["
                + "{\"x\": " + pixels + ", \"y\": 0, \"target_fixed\": false, \"type\": \"click\"}]}}");
        if (cell > Short.MAX_VALUE) {
            assertThat(extraction.rows()).isEmpty();
        } else {
            assertThat(extraction.rows()).singleElement().satisfies(row -> assertThat(row.x()).isEqualTo(cell));
        }
    }

    @Test
    void thePreviousPageViewsScrollDepthIsAPointOnThePreviousPage() {
        Extraction extraction = extract("{" + VIEWPORT + ", \"$current_url\": \"HTTPS://Shop.Example:443/now?q=1#top\","
                + " \"$prev_pageview_pathname\": \"/before page\", \"$prev_pageview_max_scroll\": 1600}");

        assertThat(extraction.rows()).containsExactly(new HeatmapRow(UUID, "s-1", 2, "user-1", AT, 0, 100, 16, 80, 45, false,
                "https://shop.example/before%20page?q=1#top", "scrolldepth"));
    }

    @Test
    void aScrollDepthWithoutItsMaximumGivesNoPoint() {
        assertThat(extract("{" + VIEWPORT + ", \"$current_url\": \"https://a.example/x\", \"$prev_pageview_pathname\": \"/y\"}")
                .rows()).isEmpty();
    }

    @Test
    void malformedPagesAreWarnedAboutAndMalformedPointsSkipped() {
        Extraction extraction = extract("{" + VIEWPORT + ", \"$heatmap_data\": {\" \": [], \"https://a.example/\": 3,"
                + " \"https://b.example/\": [{\"x\": \"1\", \"y\": 0, \"target_fixed\": false, \"type\": \"click\"},"
                + " {\"x\": 1, \"y\": 0, \"target_fixed\": \"no\", \"type\": \"click\"},"
                + " {\"x\": 1, \"y\": 0, \"target_fixed\": false, \"type\": \" \"},"
                + " {\"x\": 16, \"y\": 16, \"target_fixed\": false, \"type\": \"click\"}]}}");

        assertThat(extraction.warnings()).extracting(HeatmapExtractor.Warning::type)
                .containsExactly("rejecting_heatmap_data_with_invalid_url", "rejecting_heatmap_data_with_invalid_items");
        assertThat(extraction.warnings().get(1).details()).containsEntry("heatmapUrl", "https://a.example/");
        assertThat(extraction.rows()).singleElement().satisfies(row -> assertThat(row.currentUrl()).isEqualTo("https://b.example/"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"$viewport_width\": 1280", "\"$viewport_width\": \"1280\", \"$viewport_height\": 720",
            "\"$viewport_width\": 1280, \"$viewport_height\": 1e9"})
    void withoutAUsableViewportTheEventGivesNoRows(String viewport) {
        Extraction extraction = extract("{" + viewport + ", \"$heatmap_data\": {\"https://a.example/\": ["
                + "{\"x\": 1, \"y\": 1, \"target_fixed\": false, \"type\": \"click\"}]}}");
        assertThat(extraction.unusable()).isEqualTo("heatmap_invalid_viewport_dimensions");
        assertThat(extraction.rows()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "null", "undefined", "anonymous"})
    void aPlaceholderDistinctIdGivesNoRows(String distinctId) {
        Extraction extraction = extract(distinctId, "{" + VIEWPORT + ", \"$heatmap_data\": {\"https://a.example/\": ["
                + "{\"x\": 1, \"y\": 1, \"target_fixed\": false, \"type\": \"click\"}]}}");
        assertThat(extraction.unusable()).isEqualTo("heatmap_invalid_distinct_id");
    }

    @Test
    void heatmapDataThatIsNotAnObjectIsInvalid() {
        Extraction extraction = extract("{" + VIEWPORT + ", \"$heatmap_data\": [1, 2]}");
        assertThat(extraction.rows()).isEmpty();
        assertThat(extraction.warnings()).singleElement().satisfies(w -> assertThat(w.type()).isEqualTo("invalid_heatmap_data"));
    }

    @Test
    void anEventWithoutHeatmapDataGivesNothingAndNeedsNoViewport() {
        Extraction extraction = extract("{\"$current_url\": \"https://a.example/\"}");
        assertThat(extraction.rows()).isEmpty();
        assertThat(extraction.warnings()).isEmpty();
        assertThat(extraction.unusable()).isNull();
    }

    @ParameterizedTest(name = "$session_id {0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            "abc"     | abc
            null      | null
            12        | 12
            1.5       | 1.5
            true      | true
            [1,null]  | 1,
            {"a":1}   | [object Object]
            """)
    void theSessionIdIsTakenAsJavaScriptsStringOfIt(String json, String expected) {
        Extraction extraction = extract("{\"$viewport_width\": 16, \"$viewport_height\": 16, \"$session_id\": " + json
                + ", \"$heatmap_data\": {\"https://a.example/\": [{\"x\": 1, \"y\": 1, \"target_fixed\": false, \"type\": \"click\"}]}}");
        assertThat(extraction.rows()).singleElement().satisfies(row -> assertThat(row.sessionId()).isEqualTo(expected));
    }

    @Test
    void aMissingSessionIdIsUndefinedAsInPostHog() {
        Extraction extraction = extract("{\"$viewport_width\": 16, \"$viewport_height\": 16,"
                + " \"$heatmap_data\": {\"https://a.example/\": [{\"x\": 1, \"y\": 1, \"target_fixed\": false, \"type\": \"click\"}]}}");
        assertThat(extraction.rows()).singleElement().satisfies(row -> assertThat(row.sessionId()).isEqualTo("undefined"));
    }
}
