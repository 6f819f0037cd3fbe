package dev.ingest.plugin.ingestion.step;

import dev.ingest.plugin.ingestion.pipeline.EventContext;
import dev.ingest.plugin.ingestion.pipeline.PipelineStage;
import dev.ingest.plugin.ingestion.pipeline.PipelineStep;
import dev.ingest.plugin.ingestion.pipeline.StepResult;
import dev.ingest.plugin.person.PersonPropertyKeys;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * normalizeEvent and normalizeProcessPerson (docs/posthog-compatibility.md#event-normalisation): top-level
 * $set/$set_once merged into properties (top level wins), $ip from capture, the event-to-person properties (device, URL
 * and campaign parameters, {@link PersonPropertyKeys#EVENT_TO_PERSON}) copied into $set and $set_once.$initial_*
 * (explicit client values win), $sent_at, the event name as a string of at most 200
 * characters, IP anonymisation, and person operations stripped when person processing is off.
 */
public final class NormalizeEventStep implements PipelineStep {
    private static final Set<String> NO_PERSON_PROPERTIES_EVENTS = Set.of("$snapshot", "$performance_event");
    static final int MAX_EVENT_NAME_LENGTH = 200;

    @Override
    public PipelineStage stage() {
        return PipelineStage.NORMALIZE_EVENT;
    }

    @Override
    public Set<PipelineStage> requires() {
        return Set.of(PipelineStage.RESOLVE_TEAM);
    }

    @Override
    public StepResult<EventContext> apply(EventContext context) {
        ObjectNode data = context.data();
        ObjectNode properties = context.properties();
        mergeTopLevel(data, properties, "$set");
        mergeTopLevel(data, properties, "$set_once");
        String ip = context.captured().ip();
        // PostHog's `!properties.$ip`: an empty, false or zero $ip counts as not set either.
        if (!isTruthy(properties.get("$ip")) && ip != null && !ip.isEmpty()) {
            properties.put("$ip", ip);
        }
        String name = eventName(data.get("event"));
        data.put("event", name);
        if (!NO_PERSON_PROPERTIES_EVENTS.contains(name)) {
            addPersonContextProperties(properties);
        }
        String sentAt = context.captured().sentAt();
        if (sentAt != null && !sentAt.isEmpty()) {
            properties.put("$sent_at", sentAt);
        }
        if (context.team().anonymizeIps()) {
            properties.remove("$ip");
        }
        if (!context.processPerson() || "$groupidentify".equals(name)) {
            for (String key : List.of("$set", "$set_once", "$unset")) {
                data.remove(key);
                properties.remove(key);
            }
        }
        if (context.processPerson()) {
            properties.remove("$process_person_profile");
        } else {
            properties.put("$process_person_profile", false);
        }
        return StepResult.ok(context);
    }

    static String eventName(JsonNode event) {
        String name = event == null || event.isNull() ? "" : event.isString() ? event.asString() : event.toString();
        return name.length() <= MAX_EVENT_NAME_LENGTH ? name : name.substring(0, MAX_EVENT_NAME_LENGTH);
    }

    private static void mergeTopLevel(ObjectNode data, ObjectNode properties, String key) {
        JsonNode top = data.get(key);
        if (!(top instanceof ObjectNode topObject)) {
            return;
        }
        ObjectNode merged = properties.get(key) instanceof ObjectNode inner ? inner : JsonNodeFactory.instance.objectNode();
        merged.setAll(topObject);
        properties.set(key, merged);
        data.remove(key);
    }

    /**
     * PostHog's personInitialAndUTMProperties: each event-to-person key the event carries goes into {@code $set} and,
     * unless it is null, into {@code $set_once} as {@code $initial_*}; a value the client put there itself wins. A null
     * never becomes a first touch (browsers send every absent campaign parameter as null, and a stored null would block
     * the real value forever), while a null latest touch is kept. A server SDK's {@code $os} / {@code $os_version}
     * ({@code $is_server: true}) describe the server and are not lifted. {@code $os_name} is an alias of {@code $os}:
     * it fills a missing {@code $os} and a missing first-touch {@code $initial_os}, and is not kept on the person.
     */
    private static void addPersonContextProperties(ObjectNode properties) {
        JsonNode isServer = properties.get("$is_server");
        boolean server = isServer != null && isServer.isBoolean() && isServer.asBoolean();
        JsonNode osName = properties.get("$os_name");
        if (osName != null && !properties.has("$os")) {
            properties.set("$os", osName);
        }
        ObjectNode set = null;
        ObjectNode setOnce = null;
        for (String key : PersonPropertyKeys.EVENT_TO_PERSON) {
            JsonNode value = properties.get(key);
            if (value == null || server && ("$os".equals(key) || "$os_version".equals(key))) {
                continue;
            }
            if (set == null) {
                set = properties.get("$set") instanceof ObjectNode explicit ? explicit : JsonNodeFactory.instance.objectNode();
                setOnce = properties.get("$set_once") instanceof ObjectNode explicit ? explicit
                        : JsonNodeFactory.instance.objectNode();
            }
            if (!set.has(key)) {
                set.set(key, value);
            }
            String initial = PersonPropertyKeys.initialKey(key);
            if (!value.isNull() && !setOnce.has(initial)) {
                setOnce.set(initial, value);
            }
        }
        if (set == null) {
            return;
        }
        if (osName != null && !server) {
            if (!osName.isNull() && !setOnce.has("$initial_os")) {
                setOnce.set("$initial_os", osName);
            }
            set.remove("$os_name");
            setOnce.remove("$initial_os_name");
        }
        properties.set("$set", set);
        properties.set("$set_once", setOnce);
    }

    /** JavaScript truthiness of a JSON value: absent, null, false, 0, NaN and "" are falsy. */
    private static boolean isTruthy(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return false;
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isNumber()) {
            double number = value.asDouble();
            return number != 0 && !Double.isNaN(number);
        }
        if (value.isString()) {
            return !value.asString().isEmpty();
        }
        return true;
    }
}
