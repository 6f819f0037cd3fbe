package dev.ingest.plugin.ingestion.pipeline;

import dev.ingest.common.event.CapturedEvent;
import dev.ingest.common.kafka.OutgoingRecord;
import dev.ingest.plugin.ingestion.team.Team;
import dev.ingest.plugin.person.Person;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * One event on its way through the pipeline. Each step returns a copy with what it learned; the event's JSON
 * ({@code data}) is owned by this context and steps edit it in place. {@code effects} collects the records (persons,
 * distinct ids, warnings, the event row) to produce for this event, kept even when a later step drops it.
 */
public record EventContext(
        Source source,
        CapturedEvent captured,
        ObjectNode data,
        Team team,
        boolean processPerson,
        Instant timestamp,
        Person person,
        PersonMode personMode,
        OutgoingRecord row,
        List<OutgoingRecord> effects,
        BatchScope scope) {

    /** Where the message came from, for the dead-letter topic. */
    public record Source(String topic, int partition, long offset, String key, byte[] value, Map<String, String> headers) {}

    /** The person_mode column of the event row (docs/posthog-compatibility.md#personless-events). */
    public enum PersonMode {
        FULL("full"),
        PROPERTYLESS("propertyless"),
        FORCE_UPGRADE("force_upgrade");

        private final String value;

        PersonMode(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }
    }

    public static EventContext of(Source source) {
        return of(source, null);
    }

    public static EventContext of(Source source, BatchScope scope) {
        return new EventContext(source, null, null, null, true, null, null, null, null, new ArrayList<>(), scope);
    }

    public ObjectNode properties() {
        return (ObjectNode) data.get("properties");
    }

    public String eventName() {
        return data.path("event").asString("");
    }

    public String distinctId() {
        return captured.distinctId();
    }

    public EventContext withCaptured(CapturedEvent captured, ObjectNode data) {
        return new EventContext(source, captured, data, team, processPerson, timestamp, person, personMode, row, effects, scope);
    }

    public EventContext withTeam(Team team) {
        return new EventContext(source, captured, data, team, processPerson, timestamp, person, personMode, row, effects, scope);
    }

    public EventContext withProcessPerson(boolean processPerson) {
        return new EventContext(source, captured, data, team, processPerson, timestamp, person, personMode, row, effects, scope);
    }

    public EventContext withTimestamp(Instant timestamp) {
        return new EventContext(source, captured, data, team, processPerson, timestamp, person, personMode, row, effects, scope);
    }

    public EventContext withPerson(Person person, PersonMode personMode) {
        return new EventContext(source, captured, data, team, processPerson, timestamp, person, personMode, row, effects, scope);
    }

    public EventContext withRow(OutgoingRecord row) {
        return new EventContext(source, captured, data, team, processPerson, timestamp, person, personMode, row, effects, scope);
    }

    public void addEffect(OutgoingRecord record) {
        effects.add(record);
    }

    public void addEffects(List<OutgoingRecord> records) {
        effects.addAll(records);
    }
}
