package dev.ingest.common.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The message capture writes to {@code events_plugin_ingestion} (capture-rs's {@code CapturedEvent} in
 * {@code rust/common/types/src/event.rs}; docs/posthog-compatibility.md#capture-message-and-routing), which the
 * plugin service reads. {@code data} is the raw event as a JSON string, exactly as the SDK sent it after decoding;
 * {@code now} is the server receive time; {@code sentAt} is the client's send time if it gave one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CapturedEvent(
        @JsonProperty("uuid") String uuid,
        @JsonProperty("distinct_id") String distinctId,
        @JsonProperty("ip") String ip,
        @JsonProperty("data") String data,
        @JsonProperty("now") String now,
        @JsonProperty("sent_at") String sentAt,
        @JsonProperty("token") String token,
        @JsonProperty("team_id") Long teamId,
        @JsonProperty("event") String event,
        @JsonProperty("is_cookieless_mode") Boolean cookielessMode,
        @JsonProperty("historical_migration") Boolean historicalMigration) {

    /** The Kafka key: {@code token:distinct_id}, or {@code token:ip} in cookieless mode. */
    public String partitionKey() {
        return Boolean.TRUE.equals(cookielessMode) ? token + ":" + ip : token + ":" + distinctId;
    }
}
