package dev.ingest.plugin.apps.js;

import dev.ingest.common.app.AppConfigRules;
import dev.ingest.common.app.AppName;
import dev.ingest.common.json.Json;
import dev.ingest.plugin.apps.AppContext;
import dev.ingest.plugin.apps.AppHooks;
import java.util.Objects;
import java.util.Set;
import org.graalvm.polyglot.Source;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code js} app: a project's own JavaScript, run in a GraalJS sandbox. Config:
 * <pre>{@code {"source": "function processEvent(event, meta) { ... }", "timeoutMs": 100, ...}}</pre>
 * The script defines any of the global functions {@code processEvent(event, meta)}, {@code composeWebhook(event, meta)}
 * and {@code onEvent(event, meta)}, as PostHog plugins do; each may also be {@code async}. {@code meta} is
 * {@code {config, teamId, app, eventUuid, distinctId}}, where {@code config} is the app's config without
 * {@code source} (so a script can read its own settings).
 * <ul>
 * <li>processEvent returns the event (changed or not) to keep it, or null, undefined or false to drop it; anything
 * else that is not an object with a {@code properties} object is an error.</li>
 * <li>composeWebhook returns {@code {url, method?, headers?, body?}} (a non-string body is JSON.stringify'd) or
 * null/undefined/false to skip the event.</li>
 * <li>onEvent's return value is ignored; a throw or a rejected promise fails the attempt.</li>
 * </ul>
 * Every failure is a {@link JsAppException} (a throw, a timeout, the statement limit, a result too large or of the
 * wrong shape). Limits are in {@link JsLimits}, the sandbox in {@link JsSandbox}, what the engine cannot enforce in
 * {@link JsEngine}.
 * <p>
 * One instance serves all threads: it keeps a small pool of contexts, each with the script evaluated once, made on
 * demand. A context left broken by a timeout or the statement limit is replaced, so one bad event does not break the
 * app for the next. Scripts should not rely on global state between calls: each context has its own, and a context
 * may be replaced at any time. {@link #close()} closes every context (the registry calls it when the config row is
 * replaced).
 */
public final class JsApp extends JsHookCalls implements AutoCloseable {
    public static final String NAME = AppName.JS.wire();
    public static final String SOURCE = "source";

    private final JsSandboxPool pool;
    private final Set<JsHook> hooks;
    private final String configJson;
    private final JsLimits limits;

    private JsApp(JsSandboxPool pool, Set<JsHook> hooks, String configJson, JsLimits limits) {
        this.pool = pool;
        this.hooks = hooks;
        this.configJson = configJson;
        this.limits = limits;
    }

    /**
     * Loads the app's script into its first context. Throws {@link IllegalArgumentException} when the config is
     * invalid or the script does not load (a syntax error, a throw or a timeout in its top-level code, no hook).
     */
    public static JsApp fromConfig(JsEngine engine, JsonNode config) {
        Objects.requireNonNull(engine, "engine is null");
        AppConfigRules.requireValid(AppName.JS, config);
        JsonNode sourceNode = config.get(SOURCE);
        JsLimits limits = engine.limits().forApp(config);
        String text = sourceNode.asString();
        if (text.length() > limits.maxSourceChars()) {
            throw new IllegalArgumentException("js app source is " + text.length()
                    + " characters, more than the limit of " + limits.maxSourceChars());
        }
        ObjectNode appConfig = ((ObjectNode) config).deepCopy();
        appConfig.remove(SOURCE);
        // Contexts of one engine share parsed code when their sources are equal (same text and name).
        Source source = Source.newBuilder("js", text, JsSandbox.SOURCE_NAME).buildLiteral();
        JsSandbox first;
        try {
            first = JsSandbox.load(engine, source, limits);
        } catch (JsAppException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (first.hooks().isEmpty()) {
            first.close();
            throw new IllegalArgumentException("js app script defines none of processEvent, composeWebhook, onEvent");
        }
        JsSandboxPool pool = new JsSandboxPool(first, () -> JsSandbox.load(engine, source, limits), limits.contexts());
        return new JsApp(pool, first.hooks(), Json.write(appConfig), limits);
    }

    public boolean hasProcessEvent() {
        return hooks.contains(JsHook.PROCESS_EVENT);
    }

    public boolean hasComposeWebhook() {
        return hooks.contains(JsHook.COMPOSE_WEBHOOK);
    }

    public boolean hasOnEvent() {
        return hooks.contains(JsHook.ON_EVENT);
    }

    /** This app as the registry runs it: only the hooks the script defines, and this app to close when replaced. */
    public AppHooks hooks() {
        return new AppHooks(hasProcessEvent() ? this : null, hasComposeWebhook() ? this : null,
                hasOnEvent() ? this : null, this);
    }

    /** The limits this app runs under (the service's, with the app's own timeout). */
    public JsLimits limits() {
        return limits;
    }

    /** Closes every context of this app; calls running now are cancelled, later calls fail. */
    @Override
    public void close() {
        pool.close();
    }

    /** How many contexts the app has now. */
    int contexts() {
        return pool.size();
    }

    /**
     * Runs a hook on JSON text and returns the JSON it produced, or null for "nothing" (a dropped event, no
     * webhook). What a worker process runs for its parent ({@code JsWorkerMain}).
     */
    public String callJson(JsHook hook, String eventJson, String metaJson) {
        if (!hooks.contains(hook)) {
            throw new JsAppException(JsAppException.Kind.BAD_RESULT, "js app script does not define " + hook.jsName());
        }
        if (eventJson.length() > limits.maxInputChars()) {
            throw new JsAppException(JsAppException.Kind.TOO_LARGE, "js app " + hook.jsName()
                    + " was not run: the event is " + eventJson.length() + " characters of JSON, over the limit of "
                    + limits.maxInputChars());
        }
        return pool.with(sandbox -> sandbox.call(hook, eventJson, metaJson));
    }

    /** The hooks the script defines. */
    public Set<JsHook> definedHooks() {
        return hooks;
    }

    @Override
    String call(JsHook hook, ObjectNode event, AppContext meta) {
        return callJson(hook, Json.write(event), metaJson(configJson, meta));
    }
}
