package dev.ingest.plugin.apps.js;

import dev.ingest.common.json.Json;
import dev.ingest.plugin.apps.AppContext;
import dev.ingest.plugin.apps.AppResult;
import dev.ingest.plugin.apps.EventTransformer;
import dev.ingest.plugin.apps.OnEventHandler;
import dev.ingest.plugin.apps.WebhookComposer;
import dev.ingest.plugin.apps.WebhookRequest;
import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * The three hooks of a JavaScript app over one way of running a hook on JSON ({@link #call}): in this JVM
 * ({@link JsApp}) or in a worker process ({@link JsWorkerApp}). What a hook returns is read the same either way.
 */
abstract class JsHookCalls implements EventTransformer, WebhookComposer, OnEventHandler {
    /** Runs {@code hook}; the JSON it returned, or null for "nothing". Throws {@link JsAppException}. */
    abstract String call(JsHook hook, ObjectNode event, AppContext meta);

    @Override
    public AppResult processEvent(ObjectNode event, AppContext meta) {
        String json = call(JsHook.PROCESS_EVENT, event, meta);
        return json == null ? AppResult.drop("js app processEvent returned nothing") : AppResult.keep(JsResults.event(json));
    }

    @Override
    public Optional<WebhookRequest> composeWebhook(ObjectNode event, AppContext meta) {
        String json = call(JsHook.COMPOSE_WEBHOOK, event, meta);
        return json == null ? Optional.empty() : Optional.of(JsResults.webhook(json));
    }

    /** Runs onEvent; throws {@link JsAppException} when it throws, rejects, times out or hits a limit. */
    @Override
    public void onEvent(ObjectNode event, AppContext meta) {
        call(JsHook.ON_EVENT, event, meta);
    }

    /** {@code meta} as JSON: {@code configJson} (the app's config without its source) and a few escaped strings. */
    static String metaJson(String configJson, AppContext meta) {
        return "{\"config\":" + configJson + ",\"teamId\":" + meta.teamId() + ",\"app\":" + Json.write(meta.app())
                + ",\"eventUuid\":" + Json.write(meta.eventUuid()) + ",\"distinctId\":" + Json.write(meta.distinctId())
                + "}";
    }
}
