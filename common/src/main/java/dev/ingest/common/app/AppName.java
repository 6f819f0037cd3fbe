package dev.ingest.common.app;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The apps a project can configure, by the name stored in {@code app_config.app} and sent to the management API.
 * decide-service accepts these names when an app is written; plugin-service builds them.
 */
public enum AppName {
    GEOIP("geoip", false),
    PROPERTY_FLATTENER("property-flattener", false),
    EVENT_FILTER("event-filter", false),
    WEBHOOK("webhook", true),
    CUSTOMERIO("customerio", true),
    JS("js", false);

    /** Every name, in declaration order, as error messages list them. */
    public static final String LIST = Arrays.stream(values()).map(AppName::wire).collect(Collectors.joining(", "));

    private final String wire;
    private final boolean destination;

    AppName(String wire, boolean destination) {
        this.wire = wire;
        this.destination = destination;
    }

    /** The stored name. */
    public String wire() {
        return wire;
    }

    /** Whether the app runs after ingestion, on its delivery queue (its failures are deliveries, not warnings). */
    public boolean isDestination() {
        return destination;
    }

    /** The app of this stored name, if there is one. */
    public static Optional<AppName> fromWire(String name) {
        for (AppName app : values()) {
            if (app.wire.equals(name)) {
                return Optional.of(app);
            }
        }
        return Optional.empty();
    }
}
