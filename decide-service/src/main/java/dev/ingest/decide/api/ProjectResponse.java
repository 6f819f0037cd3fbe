package dev.ingest.decide.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ingest.decide.store.ProjectRow;
import java.time.Instant;
import java.util.UUID;

/** A project as PostHog's API shows it. */
public record ProjectResponse(
        long id,
        UUID uuid,
        String name,
        @JsonProperty("api_token") String apiToken,
        @JsonProperty("anonymize_ips") boolean anonymizeIps,
        @JsonProperty("person_processing_opt_out") boolean personProcessingOptOut,
        @JsonProperty("drop_events_older_than_seconds") Integer dropEventsOlderThanSeconds,
        @JsonProperty("heatmaps_opt_in") Boolean heatmapsOptIn,
        @JsonProperty("cookieless_server_hash_mode") int cookielessServerHashMode,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt) {

    public static ProjectResponse of(ProjectRow row) {
        return new ProjectResponse(row.id(), row.uuid(), row.name(), row.apiToken(), row.anonymizeIps(),
                row.personProcessingOptOut(), row.dropEventsOlderThanSeconds(), row.heatmapsOptIn(), row.cookielessServerHashMode(), row.createdAt(), row.updatedAt());
    }
}
