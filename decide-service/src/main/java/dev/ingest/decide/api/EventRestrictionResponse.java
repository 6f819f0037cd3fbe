package dev.ingest.decide.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ingest.decide.store.EventRestrictionRow;
import java.time.Instant;
import java.util.List;

/** An event restriction as the API shows it (PostHog's field names). */
public record EventRestrictionResponse(
        long id,
        @JsonProperty("restriction_type") String restrictionType,
        @JsonProperty("distinct_ids") List<String> distinctIds,
        @JsonProperty("session_ids") List<String> sessionIds,
        @JsonProperty("event_names") List<String> eventNames,
        @JsonProperty("event_uuids") List<String> eventUuids,
        String note,
        @JsonProperty("created_at") Instant createdAt) {

    static EventRestrictionResponse of(EventRestrictionRow row) {
        return new EventRestrictionResponse(row.id(), row.restrictionType(), row.distinctIds(), row.sessionIds(),
                row.eventNames(), row.eventUuids(), row.note(), row.createdAt());
    }
}
