package dev.ingest.plugin.ingestion.kafka;

import dev.ingest.common.id.Uuids;
import dev.ingest.common.json.Json;
import dev.ingest.common.json.JsonBytesWriter;
import dev.ingest.common.kafka.OutgoingRecord;
import dev.ingest.common.kafka.Topics;
import dev.ingest.common.time.ClickHouseTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * The only place that writes rows for ClickHouse's Kafka tables, and so the only place that must get them right.
 *
 * <p>TRICKY: ClickHouse 18.16 has no {@code kafka_skip_broken_messages}; one row its JSONEachRow parser rejects
 * blocks that Kafka table for good. So every row is built here field by field, exactly the table's columns (an
 * unknown field is an error there too), every value checked against its column type, and every DateTime kept in
 * the range both server generations store (1970 to 2105).
 */
public final class ClickHouseRows {
    public static final Instant MIN_DATETIME = Instant.parse("1970-01-01T00:00:00Z");
    public static final Instant MAX_DATETIME = Instant.parse("2105-12-31T23:59:59Z");

    private ClickHouseRows() {}

    /**
     * Columns of kafka_events_json (docs/posthog-compatibility.md#clickhouse-event-messages). Keyed by event uuid.
     *
     * @param properties the event's properties as a tree (null: an empty string); written into the row from their
     *     JSON bytes in one pass ({@link JsonBytesWriter#generatedJsonAsString}), the costliest part of an event otherwise
     * @param personProperties the person's properties as JSON (null: an empty string), escaped once per person and batch
     * @param historicalMigration whether the event came in a batch marked {@code historical_migration} (an import)
     */
    public record EventRow(UUID uuid, String event, JsonNode properties, Instant timestamp, long teamId, String distinctId,
            String elementsChain, Instant createdAt, UUID personId, EmbeddedJson personProperties, Instant personCreatedAt,
            String personMode, boolean historicalMigration) {}

    public static OutgoingRecord event(EventRow row) {
        JsonBytesWriter value = new JsonBytesWriter(1024)
                .string("uuid", row.uuid().toString())
                .string("event", text(row.event()));
        if (row.properties() == null) {
            value.string("properties", "");
        } else {
            value.generatedJsonAsString("properties", Json.writeBytes(row.properties()));
        }
        value.string("timestamp", ClickHouseTime.micros(clamp(row.timestamp())))
                .number("team_id", row.teamId())
                .number("project_id", row.teamId())
                .string("distinct_id", text(row.distinctId()))
                .string("elements_chain", text(row.elementsChain()))
                .string("created_at", ClickHouseTime.micros(clamp(row.createdAt())))
                .string("person_id", row.personId().toString())
                .quoted("person_properties", row.personProperties() == null ? new byte[0] : row.personProperties().quotedUtf8())
                .string("person_created_at", ClickHouseTime.seconds(clamp(row.personCreatedAt())))
                .string("person_mode", text(row.personMode()))
                .number("historical_migration", row.historicalMigration() ? 1 : 0);
        // The team_id header lets the destinations worker skip events of projects without destinations unparsed.
        return new OutgoingRecord(Topics.CLICKHOUSE_EVENTS_JSON, row.uuid().toString(), value.finish(),
                Map.of("team_id", Long.toString(row.teamId())));
    }

    /** A person row (table person); {@code deleted} rows carry the version the caller computed (+100). */
    public static OutgoingRecord person(UUID personUuid, long teamId, Instant createdAt, String properties,
            boolean identified, boolean deleted, long version) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("id", personUuid.toString());
        value.put("created_at", ClickHouseTime.seconds(clamp(createdAt)));
        value.put("properties", text(properties));
        value.put("team_id", teamId);
        value.put("is_identified", identified ? 1 : 0);
        value.put("is_deleted", deleted ? 1 : 0);
        value.put("version", version);
        return new OutgoingRecord(Topics.CLICKHOUSE_PERSON, personUuid.toString(), bytes(value));
    }

    /**
     * A distinct id that moved to another person (table person_distinct_id_overrides): its events written before the
     * move still name the old person until the squash rewrites them.
     */
    public static OutgoingRecord personDistinctIdOverride(UUID personUuid, long teamId, String distinctId, long version) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("person_id", personUuid.toString());
        value.put("team_id", teamId);
        value.put("distinct_id", text(distinctId));
        value.put("version", version);
        value.put("is_deleted", 0);
        return new OutgoingRecord(Topics.CLICKHOUSE_PERSON_DISTINCT_ID_OVERRIDES, personUuid.toString(), bytes(value));
    }

    /** A distinct-id row (table person_distinct_id2). */
    public static OutgoingRecord personDistinctId(UUID personUuid, long teamId, String distinctId, long version,
            boolean deleted) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("person_id", personUuid.toString());
        value.put("team_id", teamId);
        value.put("distinct_id", text(distinctId));
        value.put("version", version);
        value.put("is_deleted", deleted ? 1 : 0);
        return new OutgoingRecord(Topics.CLICKHOUSE_PERSON_DISTINCT_ID, personUuid.toString(), bytes(value));
    }

    /** A group row (table groups). */
    public static OutgoingRecord group(long teamId, int typeIndex, String key, String properties, Instant createdAt,
            long version) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("group_type_index", typeIndex);
        value.put("group_key", text(key));
        value.put("created_at", ClickHouseTime.seconds(clamp(createdAt)));
        value.put("team_id", teamId);
        value.put("group_properties", text(properties));
        value.put("version", version);
        return new OutgoingRecord(Topics.CLICKHOUSE_GROUPS, teamId + ":" + typeIndex + ":" + key, bytes(value));
    }

    /** A dead-letter row (table events_dead_letter_queue): the raw message, where it failed and why. */
    public static OutgoingRecord deadLetter(String eventUuid, String event, String distinctId, long teamId, String rawPayload,
            Instant errorTimestamp, String errorLocation, String error, String source) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("id", UUID.randomUUID().toString());
        value.put("event_uuid", text(eventUuid));
        value.put("event", text(event));
        value.put("distinct_id", text(distinctId));
        value.put("team_id", teamId);
        value.put("raw_payload", text(rawPayload));
        value.put("error_timestamp", ClickHouseTime.micros(clamp(errorTimestamp)));
        value.put("error_location", text(errorLocation));
        value.put("error", text(error));
        value.put("source", text(source));
        return new OutgoingRecord(Topics.EVENTS_DEAD_LETTER_QUEUE, eventUuid, bytes(value));
    }

    /**
     * One heatmap point (table heatmaps, docs/posthog-compatibility.md#heatmaps), keyed by its event's uuid. Coordinates
     * are already divided by {@code scaleFactor}; each must fit the table's Int16 columns (the extractor checks).
     */
    public record HeatmapRow(String eventUuid, String sessionId, long teamId, String distinctId, Instant timestamp, int x,
            int y, int scaleFactor, int viewportWidth, int viewportHeight, boolean pointerTargetFixed, String currentUrl,
            String type) {
        public HeatmapRow {
            for (int value : new int[] {x, y, scaleFactor, viewportWidth, viewportHeight}) {
                if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
                    throw new IllegalArgumentException("heatmap value out of Int16 range: " + value);
                }
            }
        }
    }

    public static OutgoingRecord heatmap(HeatmapRow row) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("session_id", text(row.sessionId()));
        value.put("team_id", row.teamId());
        value.put("distinct_id", text(row.distinctId()));
        value.put("timestamp", ClickHouseTime.micros(clamp(row.timestamp())));
        value.put("x", row.x());
        value.put("y", row.y());
        value.put("scale_factor", row.scaleFactor());
        value.put("viewport_width", row.viewportWidth());
        value.put("viewport_height", row.viewportHeight());
        value.put("pointer_target_fixed", row.pointerTargetFixed() ? 1 : 0);
        value.put("current_url", text(row.currentUrl()));
        value.put("type", text(row.type()));
        return new OutgoingRecord(Topics.CLICKHOUSE_HEATMAP_EVENTS, row.eventUuid(), bytes(value));
    }

    /** An ingestion warning row (docs/posthog-compatibility.md#ingestion-warnings). */
    public static OutgoingRecord warning(long teamId, String type, String detailsJson, Instant timestamp) {
        return warning(teamId, type, "plugin-server", detailsJson, timestamp);
    }

    /** A warning row of another source ({@code capture}: capture-service's own, relayed by the pipeline). */
    public static OutgoingRecord warning(long teamId, String type, String source, String detailsJson, Instant timestamp) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("team_id", teamId);
        value.put("type", text(type));
        value.put("source", text(source));
        value.put("details", text(detailsJson));
        value.put("timestamp", ClickHouseTime.micros(clamp(timestamp)));
        return new OutgoingRecord(Topics.CLICKHOUSE_INGESTION_WARNINGS, Long.toString(teamId), bytes(value));
    }

    public static boolean inDateTimeRange(Instant instant) {
        return instant != null && !instant.isBefore(MIN_DATETIME) && !instant.isAfter(MAX_DATETIME);
    }

    static Instant clamp(Instant instant) {
        if (instant == null || instant.isBefore(MIN_DATETIME)) {
            return MIN_DATETIME;
        }
        return instant.isAfter(MAX_DATETIME) ? MAX_DATETIME : instant;
    }

    /** Strings are never null in these columns, and lone surrogates (legal in Java, not in UTF-8) become U+FFFD. */
    static String text(String value) {
        if (value == null) {
            return "";
        }
        int length = value.length();
        int i = 0;
        // The common case, no surrogate at all, in one tight loop.
        while (i < length && !Character.isSurrogate(value.charAt(i))) {
            i++;
        }
        if (i == length) {
            return value;
        }
        StringBuilder out = null;
        for (; i < length; i++) {
            char c = value.charAt(i);
            boolean broken = Character.isHighSurrogate(c)
                    ? i + 1 >= length || !Character.isLowSurrogate(value.charAt(i + 1))
                    : Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(value.charAt(i - 1)));
            if (broken && out == null) {
                out = new StringBuilder(length).append(value, 0, i);
            }
            if (out != null) {
                out.append(broken ? '\uFFFD' : c);
            }
        }
        return out == null ? value : out.toString();
    }

    private static byte[] bytes(Map<String, Object> value) {
        return Json.writeBytes(value);
    }

    /** Throws unless the text is a canonical uuid; rows never carry anything else in a UUID column. */
    public static UUID uuid(String text) {
        if (!Uuids.isValid(text)) {
            throw new IllegalArgumentException("not a uuid: " + text);
        }
        return UUID.fromString(text);
    }
}
