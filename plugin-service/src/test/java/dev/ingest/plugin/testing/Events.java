package dev.ingest.plugin.testing;

import dev.ingest.common.event.CapturedEvent;
import dev.ingest.common.json.Json;
import dev.ingest.common.kafka.OutgoingRecord;
import dev.ingest.common.kafka.Topics;
import dev.ingest.plugin.ingestion.pipeline.EventContext;
import dev.ingest.plugin.ingestion.team.Team;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Test data: {@link EventContext} values as the pipeline sees them after ParseMessageStep and ResolveTeamStep, built
 * with defaults that each test overrides only where it matters.
 */
public final class Events {
    public static final long TEAM_ID = 2;
    public static final String TOKEN = "phc_test_token";
    public static final String EVENT_UUID = "0189a2b4-0000-7000-8000-000000000001";
    public static final String DISTINCT_ID = "user-1";
    public static final String SOURCE_TOPIC = "events_plugin_ingestion";

    private Events() {}

    /** A JSON object from text; single quotes stand for double quotes so tests stay readable. */
    public static ObjectNode json(String text) {
        return (ObjectNode) Json.read(text.replace('\'', '"'));
    }

    public static Team team() {
        return team(false, false);
    }

    public static Team team(boolean anonymizeIps, boolean personProcessingOptOut) {
        return new Team(TEAM_ID, UUID.fromString("0189a2b4-0000-7000-8000-0000000000aa"), "Test project", TOKEN,
                anonymizeIps, personProcessingOptOut);
    }

    public static Builder event(String name) {
        return new Builder().event(name);
    }

    /** The rows on {@code clickhouse_ingestion_warnings} among {@code records}, parsed. */
    public static List<JsonNode> warningRows(List<OutgoingRecord> records) {
        List<JsonNode> rows = new ArrayList<>();
        for (OutgoingRecord record : records) {
            if (Topics.CLICKHOUSE_INGESTION_WARNINGS.equals(record.topic())) {
                rows.add(Json.read(new String(record.value(), StandardCharsets.UTF_8)));
            }
        }
        return rows;
    }

    /** The parsed {@code details} of a warning row (it is a JSON string inside the row). */
    public static JsonNode details(JsonNode warningRow) {
        return Json.read(warningRow.get("details").asString());
    }

    public static final class Builder {
        private String uuid = EVENT_UUID;
        private String distinctId = DISTINCT_ID;
        private String ip = "127.0.0.1";
        private String now = "2021-10-29T01:44:00.000Z";
        private String sentAt;
        private Long teamId = TEAM_ID;
        private Team team = Events.team();
        private boolean processPerson = true;
        private final ObjectNode data = Json.object();
        private final Map<String, String> headers = new LinkedHashMap<>();

        private Builder() {
            data.set("properties", Json.object());
        }

        public Builder event(String name) {
            data.put("event", name);
            return this;
        }

        /** A non-string event name, for example a number or an object. */
        public Builder eventNode(JsonNode name) {
            data.set("event", name);
            return this;
        }

        public Builder uuid(String uuid) {
            this.uuid = uuid;
            return this;
        }

        public Builder distinctId(String distinctId) {
            this.distinctId = distinctId;
            return this;
        }

        public Builder ip(String ip) {
            this.ip = ip;
            return this;
        }

        public Builder now(String now) {
            this.now = now;
            return this;
        }

        public Builder sentAt(String sentAt) {
            this.sentAt = sentAt;
            return this;
        }

        public Builder team(Team team) {
            this.team = team;
            this.teamId = team.id();
            return this;
        }

        public Builder processPerson(boolean processPerson) {
            this.processPerson = processPerson;
            return this;
        }

        public Builder header(String key, String value) {
            headers.put(key, value);
            return this;
        }

        /** Replaces the event's properties (the text goes through {@link Events#json}). */
        public Builder properties(String json) {
            data.set("properties", json(json));
            return this;
        }

        /** Sets one top-level field of the event, such as {@code $set}, {@code timestamp} or {@code offset}. */
        public Builder top(String field, JsonNode value) {
            data.set(field, value);
            return this;
        }

        public Builder top(String field, String json) {
            return top(field, json(json));
        }

        public CapturedEvent captured() {
            return new CapturedEvent(uuid, distinctId, ip, data.toString(), now, sentAt, TOKEN, teamId,
                    data.path("event").isString() ? data.get("event").asString() : null, null, null);
        }

        public EventContext.Source source() {
            return new EventContext.Source(SOURCE_TOPIC, 0, 42L, TOKEN + ":" + distinctId, Json.writeBytes(captured()),
                    Map.copyOf(headers));
        }

        /** The context as it is once the message is parsed and the team resolved. */
        public EventContext build() {
            return new EventContext(source(), captured(), data.deepCopy(), team, processPerson, null, null, null, null,
                    new ArrayList<>(), null);
        }
    }
}
