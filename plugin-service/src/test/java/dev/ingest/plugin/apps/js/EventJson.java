package dev.ingest.plugin.apps.js;

import dev.ingest.common.json.Json;
import dev.ingest.plugin.apps.AppContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Test data: an event's JSON as apps see it, and the meta that goes with it. */
final class EventJson {
    static final long TEAM_ID = 2;
    static final String EVENT_UUID = "0189a2b4-0000-7000-8000-000000000001";
    static final String DISTINCT_ID = "user-1";

    private final ObjectNode event = Json.object();
    private final ObjectNode properties = Json.object();
    private String distinctId = DISTINCT_ID;

    private EventJson(String name) {
        event.put("event", name);
        event.put("distinct_id", distinctId);
        event.set("properties", properties);
    }

    static EventJson event(String name) {
        return new EventJson(name);
    }

    EventJson property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    EventJson property(String key, long value) {
        properties.put(key, value);
        return this;
    }

    EventJson property(String key, JsonNode value) {
        properties.set(key, value);
        return this;
    }

    EventJson distinctId(String distinctId) {
        this.distinctId = distinctId;
        event.put("distinct_id", distinctId);
        return this;
    }

    ObjectNode build() {
        return event.deepCopy();
    }

    AppContext meta() {
        return meta(distinctId);
    }

    static AppContext meta(String distinctId) {
        return new AppContext(TEAM_ID, JsApp.NAME, 7, EVENT_UUID, distinctId);
    }
}
