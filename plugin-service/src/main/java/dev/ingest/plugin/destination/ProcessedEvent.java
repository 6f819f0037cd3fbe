package dev.ingest.plugin.destination;

import dev.ingest.common.json.Json;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a clickhouse_events_json row (the event as stored) into the event destinations see, in PostHog's processed
 * plugin event shape: {@code uuid, event, distinct_id, team_id, timestamp} (ISO-8601, UTC), {@code properties}
 * (an object), {@code elements_chain}, and {@code person} = {@code {uuid, properties, created_at}} (absent for a
 * personless event).
 */
public final class ProcessedEvent {
    private static final DateTimeFormatter CLICKHOUSE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]");

    private ProcessedEvent() {}

    /** The row's team id, read without building the event. Throws {@link IllegalArgumentException} on a bad row. */
    public static long teamId(JsonNode row) {
        JsonNode team = row.get("team_id");
        if (team == null || !team.canConvertToLong()) {
            throw new IllegalArgumentException("the row has no team_id");
        }
        return team.asLong();
    }

    public static JsonNode readRow(byte[] value) {
        try {
            JsonNode row = Json.read(value, JsonNode.class);
            if (row == null || !row.isObject()) {
                throw new IllegalArgumentException("the row is not a JSON object");
            }
            return row;
        } catch (JacksonException e) {
            throw new IllegalArgumentException("the row is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static ObjectNode fromRow(JsonNode row) {
        ObjectNode event = Json.object();
        event.put("uuid", row.path("uuid").asString(""));
        event.put("event", row.path("event").asString(""));
        event.put("distinct_id", row.path("distinct_id").asString(""));
        event.put("team_id", row.path("team_id").asLong());
        event.put("timestamp", iso(row.path("timestamp").asString("")));
        event.set("properties", object(row.path("properties").asString("")));
        event.put("elements_chain", row.path("elements_chain").asString(""));
        if (!"propertyless".equals(row.path("person_mode").asString(""))) {
            ObjectNode person = event.putObject("person");
            person.put("uuid", row.path("person_id").asString(""));
            person.set("properties", object(row.path("person_properties").asString("")));
            person.put("created_at", iso(row.path("person_created_at").asString("")));
        }
        return event;
    }

    private static ObjectNode object(String json) {
        if (json.isEmpty()) {
            return Json.object();
        }
        try {
            return Json.read(json) instanceof ObjectNode object ? object : Json.object();
        } catch (JacksonException e) {
            return Json.object();
        }
    }

    /** ClickHouse's {@code 2026-11-30 20:00:00.123456} as {@code 2026-11-30T20:00:00.123456Z}; other text as is. */
    static String iso(String clickhouse) {
        try {
            return LocalDateTime.parse(clickhouse, CLICKHOUSE).atOffset(ZoneOffset.UTC).toInstant().toString();
        } catch (DateTimeParseException e) {
            return clickhouse;
        }
    }
}
