package dev.ingest.plugin.ingestion.team;

import java.util.UUID;

/**
 * A project as the pipeline needs it.
 *
 * @param dropEventsOlderThanSeconds events older than this when processed are dropped; null (or 0) for never
 * @param heatmapsOptIn false when the project turned heatmaps off; null when it never chose (heatmap events are kept)
 * @param cookielessServerHashMode 0: cookieless events are dropped; 1 (or 2): their identity is hashed, stateless
 */
public record Team(long id, UUID uuid, String name, String apiToken, boolean anonymizeIps,
        boolean personProcessingOptOut, Integer dropEventsOlderThanSeconds, Boolean heatmapsOptIn,
        int cookielessServerHashMode) {

    public Team(long id, UUID uuid, String name, String apiToken, boolean anonymizeIps, boolean personProcessingOptOut) {
        this(id, uuid, name, apiToken, anonymizeIps, personProcessingOptOut, null, null, 0);
    }

    public Team(long id, UUID uuid, String name, String apiToken, boolean anonymizeIps, boolean personProcessingOptOut,
            Integer dropEventsOlderThanSeconds, Boolean heatmapsOptIn) {
        this(id, uuid, name, apiToken, anonymizeIps, personProcessingOptOut, dropEventsOlderThanSeconds, heatmapsOptIn, 0);
    }
}
