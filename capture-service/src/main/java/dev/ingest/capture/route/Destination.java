package dev.ingest.capture.route;

/**
 * Where one event goes and under which key. Routing is policy and is decided here; the sink only sends.
 *
 * @param key the Kafka key, or null to spread the event over partitions (overflow)
 */
public record Destination(String topic, String key, Lane lane) {
    /** Why the event goes where it goes; a metric label. */
    public enum Lane {
        MAIN,
        OVERFLOW,
        HISTORICAL,
        UNVERIFIED_TOKEN
    }
}
