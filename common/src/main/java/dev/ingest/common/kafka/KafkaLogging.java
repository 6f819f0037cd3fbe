package dev.ingest.common.kafka;

import org.springframework.kafka.support.LoggingProducerListener;
import org.springframework.kafka.support.ProducerListener;

/**
 * TRICKY: Spring Kafka's default producer listener logs the key and value of a record it could not send. Our keys
 * start with the project token ({@code token:distinct_id}) and values carry events: neither may reach the logs.
 */
public final class KafkaLogging {
    private KafkaLogging() {}

    /** A listener that logs send failures with topic and error only; services register it as kafkaProducerListener. */
    public static ProducerListener<Object, Object> producerListenerWithoutContents() {
        LoggingProducerListener<Object, Object> listener = new LoggingProducerListener<>();
        listener.setIncludeContents(false);
        return listener;
    }
}
