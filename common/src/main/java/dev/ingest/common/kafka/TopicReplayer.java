package dev.ingest.common.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Drains a parking topic once, from its consumer group's committed offsets up to the end it had when the run began,
 * re-producing each record as {@code route} decides. Offsets are committed only after every re-produced record is
 * acknowledged, so a run that dies replays again next time: at least once, never lost.
 */
public final class TopicReplayer {
    private final String bootstrapServers;
    private final String groupId;

    public TopicReplayer(String bootstrapServers, String groupId) {
        this.bootstrapServers = bootstrapServers;
        this.groupId = groupId;
    }

    /** What happened in one run. */
    public record Summary(long read, long replayed, long skipped) {}

    public Summary replay(String topic, Function<ConsumerRecord<String, byte[]>, Optional<ProducerRecord<String, byte[]>>> route)
            throws Exception {
        Properties consumerConfig = new Properties();
        consumerConfig.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        Properties producerConfig = new Properties();
        producerConfig.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 10_485_760,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        long read = 0;
        long replayed = 0;
        long skipped = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig);
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            Map<TopicPartition, Long> next = new HashMap<>();
            for (TopicPartition partition : partitions) {
                next.put(partition, consumer.position(partition, Duration.ofSeconds(30)));
            }
            while (partitions.stream().anyMatch(p -> next.get(p) < end.get(p))) {
                List<Future<?>> sends = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() >= end.get(partition)) {
                        continue;
                    }
                    read++;
                    Optional<ProducerRecord<String, byte[]>> target = route.apply(record);
                    if (target.isPresent()) {
                        sends.add(producer.send(target.get()));
                        replayed++;
                    } else {
                        skipped++;
                    }
                    next.put(partition, record.offset() + 1);
                }
                for (Future<?> send : sends) {
                    send.get();
                }
                Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
                next.forEach((partition, offset) -> commit.put(partition, new OffsetAndMetadata(offset)));
                consumer.commitSync(commit);
            }
        }
        return new Summary(read, replayed, skipped);
    }
}
