package dev.ingest.common.kafka;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.kafka.core.KafkaTemplate;

/** {@link RecordSink} on a KafkaTemplate (configured acks=all, idempotent). Mechanism only: it decides nothing. */

public class KafkaRecordSink implements RecordSink {
    private final KafkaTemplate<String, byte[]> template;

    public KafkaRecordSink(KafkaTemplate<String, byte[]> template) {
        this.template = template;
    }

    @Override
    public CompletableFuture<Void> send(List<OutgoingRecord> records) {
        CompletableFuture<?>[] futures = new CompletableFuture<?>[records.size()];
        for (int i = 0; i < records.size(); i++) {
            OutgoingRecord record = records.get(i);
            ProducerRecord<String, byte[]> producerRecord = new ProducerRecord<>(record.topic(), record.key(), record.value());
            for (Map.Entry<String, String> header : record.headers().entrySet()) {
                producerRecord.headers().add(header.getKey(), header.getValue().getBytes(StandardCharsets.UTF_8));
            }
            try {
                futures[i] = template.send(producerRecord);
            } catch (RuntimeException e) {
                futures[i] = CompletableFuture.failedFuture(e);
            }
        }
        return CompletableFuture.allOf(futures);
    }
}
