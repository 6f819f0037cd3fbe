package dev.ingest.capture.kafka;

import java.util.Map;

/** One record for Kafka, fully decided: topic, key (nullable), serialized value, headers. */
public record OutgoingMessage(String topic, String key, byte[] value, Map<String, String> headers) {}
