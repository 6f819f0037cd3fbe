package dev.ingest.plugin.apps;

import dev.ingest.plugin.apps.geoip.GeoIpApp;
import dev.ingest.plugin.apps.js.JsApp;
import dev.ingest.plugin.apps.js.JsEngine;
import dev.ingest.plugin.apps.js.JsWorkerApp;
import dev.ingest.plugin.destination.CustomerIoDestination;
import dev.ingest.plugin.destination.WebhookDestination;
import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * Turns an app_config row into the app's hooks. processEvent apps: {@code geoip} (one shared instance on the
 * configured database; its config is ignored), {@code property-flattener} ({@link PropertyFlattener}) and
 * {@code event-filter} ({@link EventFilter}). Destinations: {@code webhook} ({@link WebhookDestination}) and
 * {@code customerio} ({@link CustomerIoDestination}). User-written: {@code js} ({@link JsApp}: any of processEvent,
 * composeWebhook, onEvent; in production each in a worker process of its own with a capped heap, {@link JsWorkerApp}).
 * An unknown name or an invalid config throws
 * {@link IllegalArgumentException}; the registry then runs an app that fails on every event, so the project sees
 * the problem (app_error warnings, or dead-lettered deliveries naming it).
 */
public class BuiltInApps {
    public static final String GEOIP = "geoip";
    public static final String PROPERTY_FLATTENER = "property-flattener";
    public static final String EVENT_FILTER = "event-filter";
    public static final String WEBHOOK = "webhook";
    public static final String CUSTOMERIO = "customerio";
    public static final String JS = JsApp.NAME;
    public static final Set<String> NAMES = Set.of(GEOIP, PROPERTY_FLATTENER, EVENT_FILTER, WEBHOOK, CUSTOMERIO, JS);
    private static final Set<String> DESTINATIONS = Set.of(WEBHOOK, CUSTOMERIO);

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
        return switch (app) {
            case GEOIP -> AppHooks.processEvent(geoIp);
            case PROPERTY_FLATTENER -> AppHooks.processEvent(PropertyFlattener.fromConfig(config));
            case EVENT_FILTER -> AppHooks.processEvent(EventFilter.fromConfig(config));
            case WEBHOOK -> AppHooks.destination(WebhookDestination.fromConfig(config));
            case CUSTOMERIO -> AppHooks.destination(CustomerIoDestination.fromConfig(config));
            case JS -> jsWorkers != null
                    ? JsWorkerApp.start(jsWorkers, config, onDisabled).hooks()
                    : JsApp.fromConfig(jsEngine(), config).hooks();
            default -> throw new IllegalArgumentException("unknown app '" + app + "'; the apps are " + NAMES);
        };
    }

    /** Whether an app of this name runs after ingestion (its failures are deliveries, not app_error warnings). */
    public static boolean isDestination(String app) {
        return DESTINATIONS.contains(app);
    }
}
