package dev.ingest.decide.api;

import dev.ingest.common.app.AppConfigRules;
import dev.ingest.common.app.AppName;
import dev.ingest.common.json.Json;
import dev.ingest.decide.store.AppConfigDraft;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and validates app writes: {@code {"app", "config", "position", "enabled"}}. Errors are 400s naming the field:
 * {@code app}, {@code position}, {@code enabled} or {@code config} (everything inside the config, as the flag API
 * does with {@code filters}; the detail names the key). The config rules are {@link AppConfigRules}, which
 * plugin-service applies too when it builds the app.
 */
public final class AppInput {
    private AppInput() {}

    /** {@code POST}: {@code app} required; {@code config} defaults to {}, {@code position} to 0, enabled to true. */
    public static AppConfigDraft forCreate(ObjectNode body) {
        String app = app(body);
        if (app == null) {
            throw ApiException.invalid("app", "This field is required. Apps: " + AppName.LIST + ".");
        }
        ObjectNode config = body.has("config") ? configField(body) : Json.object();
        checkConfig(app, config);
        Integer position = position(body);
        Boolean enabled = RequestJson.bool(body, "enabled");
        return new AppConfigDraft(app, config, position == null ? 0 : position, enabled == null || enabled);
    }

    /**
     * {@code PATCH}: the fields present replace the current ones; {@code config} replaces the whole config, except
     * the secrets it leaves out (see {@link AppSecrets}). The app itself cannot change. The stored config is not
     * re-checked when the body leaves it alone, so an app can always be disabled, reordered or deleted.
     */
    public static AppConfigDraft forPatch(AppConfigDraft current, ObjectNode body) {
        String app = app(body);
        if (body.has("app") && !current.app().equals(app)) {
            throw ApiException.invalid("app", "An app cannot be changed into another app; create a new one.");
        }
        JsonNode config = current.config();
        if (body.has("config")) {
            ObjectNode merged = AppSecrets.withStoredSecrets(current.app(), current.config(), configField(body));
            checkConfig(current.app(), merged);
            config = merged;
        }
        Integer position = position(body);
        Boolean enabled = RequestJson.bool(body, "enabled");
        return new AppConfigDraft(current.app(), config, position == null ? current.position() : position,
                enabled == null ? current.enabled() : enabled);
    }

    /** Checks a whole config for {@code app}: the shared rules, then that a secret is not its own mask. */
    static void checkConfig(String app, ObjectNode config) {
        AppName name = AppName.fromWire(app).orElseThrow(() -> unknownApp(app));
        AppConfigRules.problem(name, config).ifPresent(detail -> {
            throw invalid(detail);
        });
        if (name == AppName.CUSTOMERIO
                && AppSecrets.looksMasked(config.get(AppConfigRules.CUSTOMERIO_API_KEY).stringValue())) {
            throw invalid("config.apiKey is a masked value; send the real key (or leave it out of a PATCH to keep the"
                    + " stored one).");
        }
    }

    private static String app(ObjectNode body) {
        String app = RequestJson.string(body, "app");
        if (app != null && AppName.fromWire(app).isEmpty()) {
            throw unknownApp(app);
        }
        return app;
    }

    private static ObjectNode configField(ObjectNode body) {
        if (!(body.get("config") instanceof ObjectNode config)) {
            throw invalid("The config must be a JSON object.");
        }
        return config;
    }

    /** {@code position}: null when absent; an integer that fits in 32 bits otherwise. */
    private static Integer position(ObjectNode body) {
        JsonNode node = body.get("position");
        if (node == null) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw ApiException.invalid("position", node.isNull() ? "This field may not be null."
                    : "A valid integer is required.");
        }
        return node.intValue();
    }

    private static ApiException unknownApp(String app) {
        return ApiException.invalid("app", AppConfigRules.unknownApp(app));
    }

    private static ApiException invalid(String detail) {
        return ApiException.invalid("config", detail);
    }
}
