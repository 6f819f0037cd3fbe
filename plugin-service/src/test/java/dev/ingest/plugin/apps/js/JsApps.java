package dev.ingest.plugin.apps.js;

import dev.ingest.common.json.Json;
import tools.jackson.databind.node.ObjectNode;

/** Builds js apps for tests from a script and optional extra config. */
final class JsApps {
    private JsApps() {}

    static ObjectNode config(String source) {
        ObjectNode config = Json.object();
        config.put(JsApp.SOURCE, source);
        return config;
    }

    static JsApp app(JsEngine engine, String source) {
        return JsApp.fromConfig(engine, config(source));
    }

    static JsApp app(JsEngine engine, String source, long timeoutMs) {
        ObjectNode config = config(source);
        config.put(JsLimits.TIMEOUT_MS, timeoutMs);
        return JsApp.fromConfig(engine, config);
    }
}
