package dev.ingest.capture.warning;

import dev.ingest.common.event.CapturedEvent;
import dev.ingest.common.id.Uuids;
import dev.ingest.common.json.Json;
import dev.ingest.common.kafka.OutgoingRecord;
import dev.ingest.common.kafka.RecordSink;
import dev.ingest.common.warning.WarningWindows;
import dev.ingest.common.warning.WindowedWarnings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What capture refuses or drops inside a request becomes an ingestion warning of the project, as PostHog's capture
 * sends them (docs/posthog-compatibility.md#capture-warnings): a {@code $$client_ingestion_warning} event on the main
 * topic, which plugin-service turns into the warning row. Capture knows tokens, not always teams; the pipeline
 * resolves the project. Repeats are counted, not sent one by one: the first of a kind at once, then one per window
 * with {@code count}.
 */
public final class CaptureWarnings implements AutoCloseable {
    public static final String EVENT = "$$client_ingestion_warning";
    /** Open windows at most; beyond that only a counter grows (a flood of tokens must not grow memory). */
    static final int MAX_KEYS = 100_000;

    private final WindowedWarnings windows;

    public CaptureWarnings(Duration window, Clock clock, RecordSink sink, String topic) {
        this.windows = new WindowedWarnings(window, MAX_KEYS, clock, sink, warning -> record(warning, topic, clock));
    }

    /** One occurrence of {@code type} for the token's project; {@code subject} tells occurrences apart (a restriction). */
    public void record(String token, String type, String subject, Map<String, Object> details) {
        windows.record(new WarningWindows.Key(token, type, subject), details);
    }

    static OutgoingRecord record(WarningWindows.Warning warning, String topic, Clock clock) {
        String token = warning.key().scope();
        String uuid = Uuids.v7(clock).toString();
        Map<String, Object> details = new LinkedHashMap<>(warning.details());
        details.put("count", warning.count());
        details.put("windowStart", warning.from().toString());
        details.put("windowEnd", warning.to().toString());
        details.put("pipelineStep", "capture");
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("$$client_ingestion_warning_type", warning.key().type());
        properties.put("$$client_ingestion_warning_source", "capture");
        properties.put("$$client_ingestion_warning_details", details);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("event", EVENT);
        data.put("distinct_id", token);
        data.put("uuid", uuid);
        data.put("properties", properties);
        String now = Instant.now(clock).toString();
        CapturedEvent captured = new CapturedEvent(uuid, token, null, Json.write(data), now, null, token, null, EVENT,
                null, null);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("token", token);
        headers.put("distinct_id", token);
        headers.put("event", EVENT);
        headers.put("uuid", uuid);
        headers.put("now", now);
        return new OutgoingRecord(topic, captured.partitionKey(), Json.writeBytes(captured), headers);
    }

    @Override
    public void close() {
        windows.close();
    }
}
