package dev.ingest.plugin.ingestion.step;

import dev.ingest.plugin.ingestion.pipeline.EventContext;
import dev.ingest.plugin.ingestion.pipeline.PipelineStage;
import dev.ingest.plugin.ingestion.pipeline.PipelineStep;
import dev.ingest.plugin.ingestion.pipeline.StepResult;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * normalizeEvent and normalizeProcessPerson (docs/posthog-compatibility.md#event-normalisation): top-level
 * $set/$set_once merged into properties (top level wins), $ip from capture, the event-to-person properties copied into
 * $set and $set_once.$initial_* (explicit client values win), $sent_at, the event name as a string of at most 200
 * characters, IP anonymisation, and person operations stripped when person processing is off.
 */
public final class NormalizeEventStep implements PipelineStep {
    /** Event properties that describe the person's device and context, kept on the person too. */
    public static final List<String> EVENT_TO_PERSON_PROPERTIES = List.of("$app_build", "$app_name", "$app_namespace",
            "$app_version", "$browser", "$browser_version", "$device_type", "$current_url", "$pathname", "$os",
            "$os_name", "$os_version", "$referring_domain", "$referrer", "$screen_height", "$screen_width",
            "$viewport_height", "$viewport_width", "$raw_user_agent");
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

    /** The newest code's rule: derived values first, explicit client values on top. */
    private static void addPersonContextProperties(ObjectNode properties) {
        ObjectNode derivedSet = JsonNodeFactory.instance.objectNode();
        ObjectNode derivedSetOnce = JsonNodeFactory.instance.objectNode();
        for (String key : EVENT_TO_PERSON_PROPERTIES) {
            JsonNode value = properties.get(key);
            if (value == null || "$os_name".equals(key)) {
                continue;
            }
            derivedSet.set(key, value);
            derivedSetOnce.set("$initial_" + key.substring(1), value);
        }
        JsonNode osName = properties.get("$os_name");
        if (osName != null) {
            // $os_name is an alias: it fills $os where that is missing and is never kept on the person itself.
            if (!properties.has("$os")) {
                properties.set("$os", osName);
            }
            if (!derivedSet.has("$os")) {
                derivedSet.set("$os", osName);
            }
            if (!derivedSetOnce.has("$initial_os")) {
                derivedSetOnce.set("$initial_os", osName);
            }
        }
        if (derivedSet.isEmpty()) {
            return;
        }
        properties.set("$set", overlay(derivedSet, properties.get("$set"), osName != null));
        properties.set("$set_once", overlay(derivedSetOnce, properties.get("$set_once"), osName != null));
    }

    /**
     * {@code {...derived, ...explicit}}. Only when the event's {@code $os_name} was used as the $os alias are the
     * client's own {@code $set.$os_name} / {@code $set_once.$initial_os_name} dropped; otherwise they are kept.
     */
    private static ObjectNode overlay(ObjectNode derived, JsonNode explicit, boolean osNameAliased) {
        if (explicit instanceof ObjectNode explicitObject) {
            derived.setAll(explicitObject);
            if (osNameAliased) {
                derived.remove("$os_name");
                derived.remove("$initial_os_name");
            }
        }
        return derived;
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
