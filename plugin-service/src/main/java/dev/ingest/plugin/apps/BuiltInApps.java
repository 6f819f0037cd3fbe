package dev.ingest.plugin.apps;

import dev.ingest.common.app.AppConfigRules;
import dev.ingest.common.app.AppName;
import dev.ingest.plugin.apps.geoip.GeoIpApp;
import dev.ingest.plugin.apps.js.JsApp;
import dev.ingest.plugin.apps.js.JsEngine;
import dev.ingest.plugin.apps.js.JsWorkerApp;
import dev.ingest.plugin.destination.CustomerIoDestination;
import dev.ingest.plugin.destination.WebhookDestination;
import java.time.Duration;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * Turns an app_config row into the app's hooks. processEvent apps: {@code geoip} (one shared instance on the
 * configured database; its config is ignored), {@code property-flattener} ({@link PropertyFlattener}) and
 * {@code event-filter} ({@link EventFilter}). Destinations: {@code webhook} ({@link WebhookDestination}) and
 * {@code customerio} ({@link CustomerIoDestination}). User-written: {@code js} ({@link JsApp}: any of processEvent,
 * composeWebhook, onEvent; in production each in a worker process of its own with a capped heap, {@link JsWorkerApp}).
 * An unknown name or a config that breaks {@link AppConfigRules} (the rules decide-service applies when the app is
 * written) throws {@link IllegalArgumentException}; the registry then runs an app that fails on every event, so the project sees
 * the problem (app_error warnings, or dead-lettered deliveries naming it).
 */
public class BuiltInApps {
    private final GeoIpApp geoIp;
    private final JsWorkerApp.Settings jsWorkers;
    private JsEngine jsEngine;

    /** JS apps run in this JVM, without a heap of their own (tests of the apps themselves). */
    public BuiltInApps(GeoIpApp geoIp) {
        this(geoIp, null);
    }

    /** JS apps each run in a worker process of their own, as {@code jsWorkers} says. */
    public BuiltInApps(GeoIpApp geoIp, JsWorkerApp.Settings jsWorkers) {
        this.geoIp = geoIp;
        this.jsWorkers = jsWorkers;
    }

    /** The JS engine, made on first use: a service whose projects run no JS app never pays for GraalJS. */
    private synchronized JsEngine jsEngine() {
        if (jsEngine == null) {
            jsEngine = new JsEngine();
            jsEngine.warmUp(Duration.ofSeconds(1));
        }
        return jsEngine;
    }

    /** Closes the JS engine, if one was made (at shutdown). */
    public synchronized void close() {
        if (jsEngine != null) {
            jsEngine.close();
            jsEngine = null;
        }
    }

    /** {@link #create(String, JsonNode, Consumer)} for an app whose disabling by itself is not recorded (tests). */
    public AppHooks create(String app, JsonNode config) {
        return create(app, config, reason -> { });
    }

    /**
     * The app's hooks. {@code onDisabled} is told when the app stops being run by itself (a JS app that kept
     * crashing its worker), with the reason.
     */
    public AppHooks create(String app, JsonNode config, Consumer<String> onDisabled) {
        AppName name = AppName.fromWire(app)
                .orElseThrow(() -> new IllegalArgumentException(AppConfigRules.unknownApp(app)));
        AppConfigRules.requireValid(name, config);
        return switch (name) {
            case GEOIP -> AppHooks.processEvent(geoIp);
            case PROPERTY_FLATTENER -> AppHooks.processEvent(PropertyFlattener.fromConfig(config));
            case EVENT_FILTER -> AppHooks.processEvent(EventFilter.fromConfig(config));
            case WEBHOOK -> AppHooks.destination(WebhookDestination.fromConfig(config));
            case CUSTOMERIO -> AppHooks.destination(CustomerIoDestination.fromConfig(config));
            case JS -> jsWorkers != null
                    ? JsWorkerApp.start(jsWorkers, config, onDisabled).hooks()
                    : JsApp.fromConfig(jsEngine(), config).hooks();
        };
    }

    /** Whether an app of this name runs after ingestion (its failures are deliveries, not app_error warnings). */
    public static boolean isDestination(String app) {
        return AppName.fromWire(app).map(AppName::isDestination).orElse(false);
    }
}
