package dev.ingest.plugin.ingestion.heatmap;

import dev.ingest.plugin.ingestion.kafka.ClickHouseRows.HeatmapRow;
import dev.ingest.plugin.person.IllegalDistinctIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns an event's heatmap data into heatmap rows (docs/posthog-compatibility.md#heatmaps; PostHog's
 * {@code extract-heatmap-data-step.ts}): the points of {@code $heatmap_data} (an object from page URL to a list of
 * {@code {x, y, target_fixed, type}}), plus one {@code scrolldepth} point for the previous page view when the event
 * carries {@code $prev_pageview_pathname} and {@code $current_url}. Coordinates and the viewport are divided by
 * {@link #SCALE_FACTOR} and rounded half up, as JavaScript's {@code Math.round} (and Java's) does. Pure: the outcome is a value.
 */
public final class HeatmapExtractor {
    /** The event posthog-js sends heatmap points in; it is never stored as an event. */
    public static final String HEATMAP_EVENT = "$$heatmap";
    public static final int SCALE_FACTOR = 16;

    private HeatmapExtractor() {}

    /** What the event yields: rows, the warnings to record, or why a heatmap event is unusable (null when it is not). */
    public record Extraction(List<HeatmapRow> rows, List<Warning> warnings, String unusable) {
        static Extraction none() {
            return new Extraction(List.of(), List.of(), null);
        }

        static Extraction unusable(String reason) {
            return new Extraction(List.of(), List.of(), reason);
        }
    }

    /** An ingestion warning of one of PostHog's heatmap types. */
    public record Warning(String type, Map<String, Object> details) {}

    public static Extraction extract(String eventUuid, long teamId, String distinctId, Instant timestamp,
            ObjectNode properties) {
        JsonNode data = properties.get("$heatmap_data");
        if (data != null && !data.isNull() && !data.isObject()) {
            return invalid(eventUuid);
        }
        Map<String, JsonNode> pages = new LinkedHashMap<>();
        if (data != null && data.isObject()) {
            for (Map.Entry<String, JsonNode> page : data.properties()) {
                pages.put(page.getKey(), page.getValue());
            }
        }
        JsonNode previousPath = properties.get("$prev_pageview_pathname");
        JsonNode currentUrl = properties.get("$current_url");
        if (truthy(previousPath) && truthy(currentUrl)) {
            if (!previousPath.isString() || !currentUrl.isString()) {
                return invalid(eventUuid);
            }
            String previousUrl;
            try {
                previousUrl = PageUrls.withPath(currentUrl.asString(), previousPath.asString());
            } catch (IllegalArgumentException notAUrl) {
                return invalid(eventUuid);
            }
            JsonNode existing = pages.get(previousUrl);
            if (existing != null && !existing.isArray()) {
                return invalid(eventUuid);
            }
            ArrayNode points = JsonNodeFactory.instance.arrayNode();
            if (existing != null) {
                points.addAll((ArrayNode) existing);
            }
            ObjectNode scroll = points.addObject();
            scroll.put("x", 0);
            JsonNode maxScroll = properties.get("$prev_pageview_max_scroll");
            if (maxScroll != null) {
                scroll.set("y", maxScroll);
            }
            scroll.put("target_fixed", false);
            scroll.put("type", "scrolldepth");
            pages.put(previousUrl, points);
        }
        if (pages.isEmpty()) {
            return Extraction.none();
        }
        if (distinctId == null || distinctId.isBlank() || IllegalDistinctIds.isIllegal(distinctId)) {
            return Extraction.unusable("heatmap_invalid_distinct_id");
        }
        Integer viewportHeight = scaled(properties.get("$viewport_height"));
        Integer viewportWidth = scaled(properties.get("$viewport_width"));
        if (viewportHeight == null || viewportWidth == null) {
            return Extraction.unusable("heatmap_invalid_viewport_dimensions");
        }
        JsonNode session = properties.get("$session_id");
        String sessionId = JsStrings.of(session);
        List<HeatmapRow> rows = new ArrayList<>();
        List<Warning> warnings = new ArrayList<>();
        for (Map.Entry<String, JsonNode> page : pages.entrySet()) {
            String url = page.getKey();
            if (url.isBlank()) {
                warnings.add(pageWarning("rejecting_heatmap_data_with_invalid_url", url, session));
                continue;
            }
            if (!page.getValue().isArray()) {
                warnings.add(pageWarning("rejecting_heatmap_data_with_invalid_items", url, session));
                continue;
            }
            for (JsonNode point : page.getValue()) {
                Integer x = scaled(point.get("x"));
                Integer y = scaled(point.get("y"));
                JsonNode type = point.get("type");
                JsonNode fixed = point.get("target_fixed");
                if (x == null || y == null || type == null || !type.isString() || type.asString().isBlank()
                        || fixed == null || !fixed.isBoolean()) {
                    // PostHog skips such a point without a warning; so does this.
                    continue;
                }
                rows.add(new HeatmapRow(eventUuid, sessionId, teamId, distinctId, timestamp, x, y, SCALE_FACTOR,
                        viewportWidth, viewportHeight, fixed.asBoolean(), url, type.asString()));
            }
        }
        return new Extraction(rows, warnings, null);
    }

    /**
     * A JSON number divided by the scale factor and rounded half up; null for a
     * non-number, or when the result does not fit the table's Int16 columns.
     */
    static Integer scaled(JsonNode value) {
        if (value == null || !value.isNumber()) {
            return null;
        }
        long rounded = Math.round(value.asDouble() / SCALE_FACTOR);
        return rounded < Short.MIN_VALUE || rounded > Short.MAX_VALUE ? null : (int) rounded;
    }

    /** JavaScript truthiness of a JSON value (absent counts as undefined). */
    private static boolean truthy(JsonNode value) {
        if (value == null || value.isNull()) {
            return false;
        }
        if (value.isString()) {
            return !value.asString().isEmpty();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isNumber()) {
            double number = value.asDouble();
            return number != 0 && !Double.isNaN(number);
        }
        return true;
    }

    private static Extraction invalid(String eventUuid) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("eventUuid", eventUuid);
        return new Extraction(List.of(), List.of(new Warning("invalid_heatmap_data", details)), null);
    }

    private static Warning pageWarning(String type, String url, JsonNode session) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("heatmapUrl", url);
        details.put("session_id", session == null ? null : session);
        return new Warning(type, details);
    }
}
