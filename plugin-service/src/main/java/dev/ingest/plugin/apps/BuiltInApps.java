package dev.ingest.plugin.apps;

import dev.ingest.plugin.apps.geoip.GeoIpApp;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Turns an app_config row into a transformer. The names: {@code geoip} (one shared instance on the configured
 * database; its config is ignored), {@code property-flattener} ({@link PropertyFlattener}) and {@code event-filter}
 * ({@link EventFilter}). An unknown name or an invalid config throws {@link IllegalArgumentException}; the registry
 * then runs an app that fails on every event, so the project sees app_error warnings naming the problem.
 */
public class BuiltInApps {
    public static final String GEOIP = "geoip";
    public static final String PROPERTY_FLATTENER = "property-flattener";
    public static final String EVENT_FILTER = "event-filter";
    public static final Set<String> NAMES = Set.of(GEOIP, PROPERTY_FLATTENER, EVENT_FILTER);

    private final GeoIpApp geoIp;

    public BuiltInApps(GeoIpApp geoIp) {
        this.geoIp = geoIp;
    }

    public EventTransformer create(String app, JsonNode config) {
        return switch (app) {
            case GEOIP -> geoIp;
            case PROPERTY_FLATTENER -> PropertyFlattener.fromConfig(config);
            case EVENT_FILTER -> EventFilter.fromConfig(config);
            default -> throw new IllegalArgumentException("unknown app '" + app + "'; built-in apps are " + NAMES);
        };
    }
}
