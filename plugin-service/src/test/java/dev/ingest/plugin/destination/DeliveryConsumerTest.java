package dev.ingest.plugin.destination;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.testing.Poll;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The consumer loop against Kafka's in-memory consumer: what it reads and commits while nothing can be delivered. */
class DeliveryConsumerTest {
    private static final String TOPIC = "clickhouse_events_json";
    private final TopicPartition partition = new TopicPartition(TOPIC, 0);
    /** How many times the loop asked for the end offsets: once per commit interval in which it decided to skip. */
    private final AtomicInteger skipDecisions = new AtomicInteger();
    /** The end offset the consumer's last poll made visible ({@link #append}). */
    private final AtomicLong appended = new AtomicLong(-1);
    private final MockConsumer<String, byte[]> kafka = new MockConsumer<>("earliest") {
        @Override
        public synchronized Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
            skipDecisions.incrementAndGet();
            return super.endOffsets(partitions);
        }
    };
    private final List<Long> planned = new CopyOnWriteArrayList<>();
    private final AtomicBoolean appsEnabled = new AtomicBoolean(false);
    private DeliveryConsumer consumer;
    private Thread thread;

    private void start(Duration skipGrace) {
        consumer = new DeliveryConsumer("test", () -> kafka, TOPIC, record -> {
            planned.add(record.offset());
            return List.of();
        }, 10, appsEnabled::get, skipGrace);
        thread = Thread.ofPlatform().start(consumer);
        kafka.schedulePollTask(() -> {
            kafka.rebalance(List.of(partition));
            kafka.updateBeginningOffsets(Map.of(partition, 0L));
        });
    }

    @AfterEach
    void stop() throws InterruptedException {
        consumer.stop();
        thread.join(10_000);
    }

    private void append(long from, long to) {
        kafka.schedulePollTask(() -> {
            for (long offset = from; offset < to; offset++) {
                kafka.addRecord(new ConsumerRecord<>(TOPIC, 0, offset, "k", new byte[] {'{', '}'}));
            }
            kafka.updateEndOffsets(Map.of(partition, to));
            appended.set(to);
        });
    }

    private long committed() {
        OffsetAndMetadata offset = kafka.committed(Set.of(partition)).get(partition);
        return offset == null ? -1 : offset.offset();
    }

    @Test
    void withNoAppEnabledAnywhereReadsNothingAndCommitsTheEnd() {
        start(Duration.ZERO);
        append(0, 3);
        Poll.until(Duration.ofSeconds(10), this::committed, offset -> offset == 3, "the end committed");
        assertThat(planned).as("no record decoded or planned").isEmpty();

        appsEnabled.set(true);
        append(3, 5);
        Poll.until(Duration.ofSeconds(10), () -> List.copyOf(planned), p -> p.size() == 2, "records read once an app exists");
        assertThat(planned).as("only what arrived once apps were enabled").containsExactly(3L, 4L);
        Poll.until(Duration.ofSeconds(10), this::committed, offset -> offset == 5, "their offsets committed");
    }

    @Test
    void withAnAppEnabledReadsEveryRecord() {
        appsEnabled.set(true);
        start(Duration.ZERO);
        append(0, 3);
        Poll.until(Duration.ofSeconds(10), () -> List.copyOf(planned), p -> p.size() == 3, "every record planned");
        assertThat(planned).containsExactly(0L, 1L, 2L);
    }

    @Test
    void skipsOnlyWhatIsOlderThanTheGraceSoANewAppStillGetsRecentEvents() {
        start(Duration.ofHours(1));
        append(0, 3);
        // A barrier, not a sleep: the loop decided twice, with the records there, whether to skip them.
        Poll.until(Duration.ofSeconds(30), appended::get, end -> end == 3, "the records in the partition");
        int before = skipDecisions.get();
        Poll.until(Duration.ofSeconds(30), skipDecisions::get, n -> n >= before + 2, "two skip decisions");
        assertThat(planned).isEmpty();
        assertThat(committed()).as("nothing is an hour old: nothing skipped").isEqualTo(-1);

        appsEnabled.set(true);
        Poll.until(Duration.ofSeconds(10), () -> List.copyOf(planned), p -> p.size() == 3, "the recent records read");
        assertThat(planned).containsExactly(0L, 1L, 2L);
    }
}
