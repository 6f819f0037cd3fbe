package dev.ingest.plugin.tools;

import dev.ingest.common.kafka.TopicReplayer;
import dev.ingest.common.kafka.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * {@code ./platform replay-dlq}: sends every message parked on events_plugin_ingestion_dlq back to the topic it came
 * from (its dlq-source header), without the dlq-* headers, once the cause is fixed. Reads KAFKA_BOOTSTRAP_SERVERS.
 */
public final class ReplayDeadLetters {
    public static final String GROUP_ID = "ingestion-dlq-replay";

    private ReplayDeadLetters() {}

    public static TopicReplayer.Summary run(String bootstrapServers) throws Exception {
        return new TopicReplayer(bootstrapServers, GROUP_ID).replay(Topics.EVENTS_PLUGIN_INGESTION_DLQ, ReplayDeadLetters::route);
    }

    static Optional<ProducerRecord<String, byte[]>> route(ConsumerRecord<String, byte[]> record) {
        Header source = record.headers().lastHeader("dlq-source");
        String topic = Topics.EVENTS_PLUGIN_INGESTION;
        if (source != null) {
            String text = new String(source.value(), StandardCharsets.UTF_8);
            int slash = text.indexOf('/');
            String candidate = slash < 0 ? text : text.substring(0, slash);
            if (candidate.startsWith("events_plugin_ingestion") && !candidate.equals(Topics.EVENTS_PLUGIN_INGESTION_DLQ)) {
                topic = candidate;
            }
        }
        ProducerRecord<String, byte[]> replay = new ProducerRecord<>(topic, record.key(), record.value());
        for (Header header : record.headers()) {
            if (!header.key().startsWith("dlq-")) {
                replay.headers().add(header);
            }
        }
        return Optional.of(replay);
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = System.getenv().getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
        TopicReplayer.Summary summary = run(bootstrap);
        System.out.println("replayed " + summary.replayed() + " of " + summary.read() + " dead-lettered messages from "
                + Topics.EVENTS_PLUGIN_INGESTION_DLQ);
    }
}
