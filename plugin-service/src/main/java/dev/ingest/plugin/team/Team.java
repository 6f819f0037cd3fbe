package dev.ingest.plugin.team;

import java.util.UUID;

/**
 * A project as the pipeline needs it.
 *
 * @param dropEventsOlderThanSeconds events older than this when processed are dropped; null (or 0) for never
 */
public record Team(long id, UUID uuid, String name, String apiToken, boolean anonymizeIps,
        boolean personProcessingOptOut, Integer dropEventsOlderThanSeconds) {

    public Team(long id, UUID uuid, String name, String apiToken, boolean anonymizeIps, boolean personProcessingOptOut) {
        this(id, uuid, name, apiToken, anonymizeIps, personProcessingOptOut, null);
    }
}
