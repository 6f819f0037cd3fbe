package dev.ingest.capture.decode;

import java.util.List;

/**
 * A decoded, validated request: one token for all its events.
 *
 * @param sentAt the client's send time as it sent it (ISO-8601), or null
 * @param skipped events accepted with 200 but not ingested (an empty event name, as Django capture does)
 */
public record CaptureBatch(String token, List<IncomingEvent> events, String sentAt, boolean historicalMigration,
        int skipped) {}
