package dev.ingest.common.kafka;

import java.util.Map;

/** A record the pipeline wants produced; sent after the batch is processed, acknowledged before offsets commit. */
public record OutgoingRecord(String topic, String key, byte[] value, Map<String, String> headers) {
    public OutgoingRecord(String topic, String key, byte[] value) {
        this(topic, key, value, Map.of());
    }
}
