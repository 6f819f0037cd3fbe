package dev.ingest.plugin.destination;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer thread that turns records into deliveries and commits a partition's offset only up to the first
 * record whose deliveries are not all settled ({@link PartitionProgress}). Deliveries run concurrently, so reading
 * never waits for a slow destination; when more than {@code maxInFlight} deliveries are unsettled, the consumer
 * pauses its partitions until half of them are. A record whose planning fails (PostgreSQL down while reading the
 * project's apps) is read again after a backoff: the partition is rewound to it.
 *
 * <p>While {@code active} says nothing could be delivered (no project has an enabled app) and nothing is in flight,
 * the consumer reads no records: its partitions are paused and, once per commit interval, moved to the end offsets
 * they had {@code skipGrace} earlier, and committed there: decoding every event only to plan no delivery would be
 * work for nothing (BENCHMARKS.md has what it cost). The grace outlasts how long {@code active} may lag behind a newly enabled app, so the events
 * that app should get are still ahead of the position when reading resumes.
 */
public final class DeliveryConsumer implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(DeliveryConsumer.class);
    private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(1);

    /** Turns one record into its deliveries: each element starts one and runs the given callback once it settled. */
    @FunctionalInterface
    public interface Planner {
        List<Consumer<Runnable>> plan(ConsumerRecord<String, byte[]> record);
    }

    private final String name;
    private final Supplier<org.apache.kafka.clients.consumer.Consumer<String, byte[]>> consumers;
    private final String topic;
    private final Planner planner;
    private final int maxInFlight;
    private final BooleanSupplier active;
    private final Duration skipGrace;
    private final ArrayDeque<EndOffsets> endOffsets = new ArrayDeque<>();

    private record EndOffsets(long at, Map<TopicPartition, Long> offsets) {}
    private final Map<TopicPartition, PartitionProgress> progress = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile org.apache.kafka.clients.consumer.Consumer<String, byte[]> consumer;
    private volatile boolean running = true;
    private volatile boolean assigned;

    public DeliveryConsumer(String name, Supplier<org.apache.kafka.clients.consumer.Consumer<String, byte[]>> consumers,
            String topic, Planner planner, int maxInFlight) {
        this(name, consumers, topic, planner, maxInFlight, () -> true, Duration.ZERO);
    }

    public DeliveryConsumer(String name, Supplier<org.apache.kafka.clients.consumer.Consumer<String, byte[]>> consumers,
            String topic, Planner planner, int maxInFlight, BooleanSupplier active, Duration skipGrace) {
        this.active = active;
        this.skipGrace = skipGrace;
        this.name = name;
        this.consumers = consumers;
        this.topic = topic;
        this.planner = planner;
        this.maxInFlight = maxInFlight;
    }

    /** Whether the consumer has joined its group and holds partitions (for health and tests). */
    public boolean assigned() {
        return assigned;
    }

    public int inFlight() {
        return inFlight.get();
    }

    @Override
    public void run() {
        long errorPause = 200;
        while (running) {
            try (org.apache.kafka.clients.consumer.Consumer<String, byte[]> kafka = consumers.get()) {
                consumer = kafka;
                kafka.subscribe(List.of(topic), new Rebalance(kafka));
                loop(kafka);
                commit(kafka, true);
            } catch (WakeupException e) {
                // stopping
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                log.warn("{}: the consumer failed ({}); starting it again in {} ms", name, e.toString(), errorPause);
                sleep(errorPause);
                errorPause = Math.min(errorPause * 2, 30_000);
            } finally {
                progress.clear();
                committed.clear();
                assigned = false;
            }
        }
    }

    private void loop(org.apache.kafka.clients.consumer.Consumer<String, byte[]> kafka) {
        long nextCommit = System.nanoTime() + COMMIT_INTERVAL.toNanos();
        long planPause = 0;
        boolean backpressure = false;
        while (running) {
            if (!backpressure && inFlight.get() > maxInFlight) {
                backpressure = true;
            } else if (backpressure && inFlight.get() <= maxInFlight / 2) {
                backpressure = false;
            }
            boolean skipping = inFlight.get() == 0 && !active.getAsBoolean();
            Set<TopicPartition> assignment = kafka.assignment();
            if (backpressure || skipping) {
                if (kafka.paused().size() < assignment.size()) {
                    kafka.pause(assignment);
                }
            } else if (!kafka.paused().isEmpty()) {
                kafka.resume(kafka.paused());
            }
            ConsumerRecords<String, byte[]> records = kafka.poll(Duration.ofMillis(200));
            Set<TopicPartition> rewound = new HashSet<>();
            for (ConsumerRecord<String, byte[]> record : records) {
                TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                if (rewound.contains(partition)) {
                    continue;
                }
                List<Consumer<Runnable>> starts;
                try {
                    starts = planner.plan(record);
                } catch (RuntimeException e) {
                    log.warn("{}: could not plan the deliveries of {}@{} ({}); reading it again", name, partition,
                            record.offset(), e.toString());
                    kafka.seek(partition, record.offset());
                    rewound.add(partition);
                    continue;
                }
                PartitionProgress partitionProgress = progress.computeIfAbsent(partition, p -> new PartitionProgress());
                partitionProgress.add(record.offset(), starts.size());
                long offset = record.offset();
                for (Consumer<Runnable> start : starts) {
                    inFlight.incrementAndGet();
                    start.accept(() -> {
                        inFlight.decrementAndGet();
                        partitionProgress.done(offset);
                    });
                }
            }
            if (!rewound.isEmpty()) {
                planPause = planPause == 0 ? 200 : Math.min(planPause * 2, 30_000);
                sleep(planPause);
            } else {
                planPause = 0;
            }
            if (System.nanoTime() - nextCommit >= 0) {
                if (skipping) {
                    skipAhead(kafka, assignment);
                } else {
                    endOffsets.clear();
                }
                commit(kafka, false);
                nextCommit = System.nanoTime() + COMMIT_INTERVAL.toNanos();
            }
        }
    }

    /**
     * Notes the partitions' end offsets now, then moves each to the latest end noted at least {@code skipGrace} ago and
     * commits there: nothing before it could be delivered.
     */
    private void skipAhead(org.apache.kafka.clients.consumer.Consumer<String, byte[]> kafka, Set<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        endOffsets.addLast(new EndOffsets(now, kafka.endOffsets(partitions)));
        EndOffsets target = null;
        while (!endOffsets.isEmpty() && now - endOffsets.peekFirst().at() >= skipGrace.toNanos()) {
            target = endOffsets.pollFirst();
        }
        if (target == null) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> skipped = new HashMap<>();
        target.offsets().forEach((partition, end) -> {
            if (end != null && partitions.contains(partition) && end > kafka.position(partition)) {
                kafka.seek(partition, end);
                progress.remove(partition);
                skipped.put(partition, new OffsetAndMetadata(end));
            }
        });
        if (!skipped.isEmpty()) {
            commitAsync(kafka, skipped);
        }
    }

    private void commit(org.apache.kafka.clients.consumer.Consumer<String, byte[]> kafka, boolean sync) {
        commit(kafka, progress.keySet(), sync);
    }

    private void commit(org.apache.kafka.clients.consumer.Consumer<String, byte[]> kafka,
            Collection<TopicPartition> partitions, boolean sync) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            PartitionProgress p = progress.get(partition);
            if (p == null) {
                continue;
            }
            long offset = p.committable();
            Long last = committed.get(partition);
            if (offset >= 0 && (last == null || offset > last)) {
                offsets.put(partition, new OffsetAndMetadata(offset));
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        if (sync) {
            kafka.commitSync(offsets);
            offsets.forEach((partition, offset) -> committed.put(partition, offset.offset()));
        } else {
            commitAsync(kafka, offsets);
        }
    }

    private void commitAsync(org.apache.kafka.clients.consumer.Consumer<String, byte[]> kafka,
            Map<TopicPartition, OffsetAndMetadata> offsets) {
        kafka.commitAsync(offsets, (done, error) -> {
            if (error == null) {
                done.forEach((partition, offset) -> committed.merge(partition, offset.offset(), Math::max));
            } else {
                log.debug("{}: commit failed: {}", name, error.toString());
            }
        });
    }

    public void stop() {
        running = false;
        var current = consumer;
        if (current != null) {
            current.wakeup();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        private final org.apache.kafka.clients.consumer.Consumer<String, byte[]> kafka;

        Rebalance(org.apache.kafka.clients.consumer.Consumer<String, byte[]> kafka) {
            this.kafka = kafka;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            try {
                commit(kafka, partitions, true);
            } catch (RuntimeException e) {
                log.warn("{}: committing revoked partitions failed: {}", name, e.toString());
            }
            // Deliveries still running for these partitions finish; their records may be read again by the new owner.
            partitions.forEach(p -> {
                progress.remove(p);
                committed.remove(p);
            });
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned = true;
        }
    }
}
