package dev.ingest.plugin.ingestion.consumer;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * The three lanes. Each is a batch listener in its own container with its own concurrency; each returns only after
 * its batch's records are acknowledged, so the container's batch commit never runs ahead of the output.
 * TRICKY: a listener with an {@code id} uses that id as its consumer group unless {@code groupId} is given, so every
 * lane names the one configured group explicitly.
 */
@Component
public class IngestionListeners {
    private final BatchProcessor processor;

    public IngestionListeners(BatchProcessor processor) {
        this.processor = processor;
    }

    @KafkaListener(id = "main", topics = "${ingest.plugin.lanes.main-topic:events_plugin_ingestion}",
            concurrency = "${ingest.plugin.lanes.main-concurrency:2}", containerFactory = "ingestionContainerFactory",
            groupId = "${ingest.plugin.kafka.group-id:ingestion-plugin-service}",
            autoStartup = "#{${ingest.plugin.lanes.main-concurrency:2} > 0}")
    public void main(List<ConsumerRecord<String, byte[]>> batch) {
        processor.process(batch);
    }

    @KafkaListener(id = "overflow", topics = "${ingest.plugin.lanes.overflow-topic:events_plugin_ingestion_overflow}",
            concurrency = "${ingest.plugin.lanes.overflow-concurrency:1}", containerFactory = "ingestionContainerFactory",
            groupId = "${ingest.plugin.kafka.group-id:ingestion-plugin-service}",
            autoStartup = "#{${ingest.plugin.lanes.overflow-concurrency:1} > 0}")
    public void overflow(List<ConsumerRecord<String, byte[]>> batch) {
        processor.process(batch);
    }

    @KafkaListener(id = "historical", topics = "${ingest.plugin.lanes.historical-topic:events_plugin_ingestion_historical}",
            concurrency = "${ingest.plugin.lanes.historical-concurrency:1}", containerFactory = "ingestionContainerFactory",
            groupId = "${ingest.plugin.kafka.group-id:ingestion-plugin-service}",
            autoStartup = "#{${ingest.plugin.lanes.historical-concurrency:1} > 0}")
    public void historical(List<ConsumerRecord<String, byte[]>> batch) {
        processor.process(batch);
    }
}
