package dev.ingest.capture.kafka;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/** The Kafka mechanism behind {@link EventSink}: serialises nothing, decides nothing, only sends. */
@Component
public class KafkaEventSink implements EventSink {
    private final KafkaTemplate<String, byte[]> template;

    public KafkaEventSink(KafkaTemplate<String, byte[]> template) {
        this.template = template;
    }

    @Override
    public CompletableFuture<Void> send(List<OutgoingMessage> messages) {
        CompletableFuture<?>[] futures = new CompletableFuture<?>[messages.size()];
        for (int i = 0; i < messages.size(); i++) {
            OutgoingMessage message = messages.get(i);
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(message.topic(), message.key(), message.value());
            for (Map.Entry<String, String> header : message.headers().entrySet()) {
                if (header.getValue() != null) {
                    record.headers().add(header.getKey(), header.getValue().getBytes(StandardCharsets.UTF_8));
                }
            }
            try {
                futures[i] = template.send(record);
            } catch (RuntimeException e) {
                // send() itself throws when metadata cannot be had within max.block.ms (broker down).
                futures[i] = CompletableFuture.failedFuture(e);
            }
        }
        return CompletableFuture.allOf(futures);
    }
}
