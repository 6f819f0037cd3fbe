package dev.ingest.plugin.ingestion.consumer;

import dev.ingest.plugin.ingestion.pipeline.PartitionLostException;
import dev.ingest.plugin.ingestion.pipeline.RetryableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Fencing of PostgreSQL writes by Kafka partition ownership (table {@code ingestion_partition_lease}). Kafka's group
 * protocol fences a consumer that lost its partitions only from committing offsets; its batch in flight may still
 * reach PostgreSQL, late, after the new owner wrote newer events (an instance cut off from the network whose
 * statements arrive after the heal). So the first batch a consumer processes for a partition it was given moves the
 * partition's epoch on ({@link #acquire}); every write transaction of a batch starts by share-locking the epochs the
 * batch began with ({@link #check}), and a batch whose epochs moved meanwhile is abandoned before it writes. The share
 * lock makes the order strict: a takeover waits for the transactions that passed the check, and every transaction
 * after it fails the check.
 *
 * <p>The epochs this process holds are forgotten when the group takes partitions away or gives them anew (the rebalance
 * listener), or when a check finds them moved on; only a partition the group gave is taken over, by its next batch.
 */
public final class PartitionLeases {
    /** The epochs a batch began with. */
    public record Fence(Map<TopicPartition, Long> epochs) {
        public Fence {
            epochs = Map.copyOf(epochs);
        }
    }

    /** How long a takeover waits for a transaction that passed the check before the batch is retried. */
    private static final Duration TAKEOVER_LOCK_TIMEOUT = Duration.ofSeconds(10);
    /**
     * A write transaction idle this long is ended by PostgreSQL: one whose instance was cut off mid-transaction would
     * otherwise hold its share lock, and stall the takeover, until the server's TCP keep-alive gave up on it.
     */
    private static final Duration IDLE_IN_TRANSACTION_TIMEOUT = Duration.ofSeconds(30);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final String owner;
    /**
     * Each consumer's leases. A consumer runs on a thread of its own, its rebalance callbacks and its batches alike, and
     * two consumers of one process may pass a partition between them: one that was cut off learns it lost the
     * partition only after the other was given it, and its release must not undo the other's grant.
     */
    private final ThreadLocal<ConsumerLeases> consumers = ThreadLocal.withInitial(ConsumerLeases::new);

    /** One consumer's epochs held, and the partitions the group gave it that it has not taken over yet. */
    private static final class ConsumerLeases {
        private final Map<TopicPartition, Long> held = new HashMap<>();
        private final Set<TopicPartition> given = new HashSet<>();
    }

    /** @param owner who holds the leases, for operators reading the table (host and process) */
    public PartitionLeases(JdbcTemplate jdbc, TransactionTemplate transactions, String owner) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.owner = owner;
    }

    /**
     * The fence of a batch of these partitions: the epochs held, and for each partition the group gave this consumer
     * since its last batch of it, a new epoch taken over from whoever held it before.
     *
     * <p>Only a partition the group gave (the rebalance listener's {@code onPartitionsAssigned}) is ever taken over. A
     * consumer's own view of its assignment is no proof: one that was cut off still lists its old partitions until
     * its next poll, and a batch it retries in the meantime must not take them back from their new owner.
     *
     * @throws PartitionLostException if a partition is neither held nor newly given (its lease was lost)
     */
    public Fence acquire(Set<TopicPartition> partitions) {
        ConsumerLeases mine = consumers.get();
        Set<TopicPartition> lost = new HashSet<>();
        List<TopicPartition> toTakeOver = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            if (mine.given.contains(partition)) {
                toTakeOver.add(partition);
            } else if (!mine.held.containsKey(partition)) {
                lost.add(partition);
            }
        }
        if (!lost.isEmpty()) {
            throw new PartitionLostException("the batch holds records of partitions this consumer no longer owns", lost);
        }
        if (!toTakeOver.isEmpty()) {
            Map<TopicPartition, Long> taken = takeOver(toTakeOver);
            mine.held.putAll(taken);
            mine.given.removeAll(taken.keySet());
        }
        Map<TopicPartition, Long> epochs = new HashMap<>();
        for (TopicPartition partition : partitions) {
            epochs.put(partition, mine.held.get(partition));
        }
        return new Fence(epochs);
    }

    /** The group gave these partitions to the calling consumer: its next batch of each takes it over. */
    public void assigned(Collection<TopicPartition> partitions) {
        ConsumerLeases mine = consumers.get();
        partitions.forEach(mine.held::remove);
        mine.given.addAll(partitions);
    }

    /** The calling consumer forgets these partitions: the group took them away, or another consumer took them over. */
    public void release(Collection<TopicPartition> partitions) {
        ConsumerLeases mine = consumers.get();
        partitions.forEach(mine.held::remove);
        partitions.forEach(mine.given::remove);
    }

    /**
     * Inside a write transaction, before its writes: share-locks the fence's epochs, or throws if one moved on.
     *
     * @throws PartitionLostException if another consumer took one of the partitions over
     */
    public void check(Fence fence) {
        if (fence.epochs().isEmpty()) {
            return;
        }
        String[] topics = new String[fence.epochs().size()];
        Integer[] numbers = new Integer[topics.length];
        Long[] epochs = new Long[topics.length];
        int i = 0;
        for (Map.Entry<TopicPartition, Long> entry : fence.epochs().entrySet()) {
            topics[i] = entry.getKey().topic();
            numbers[i] = entry.getKey().partition();
            epochs[i++] = entry.getValue();
        }
        Set<TopicPartition> current = new HashSet<>();
        jdbc.query("SELECT l.topic, l.partition, set_config('idle_in_transaction_session_timeout', ?, true)"
                + " FROM ingestion_partition_lease l JOIN unnest(?::text[], ?::int[], ?::bigint[]) AS f(topic, partition, epoch)"
                + " ON l.topic = f.topic AND l.partition = f.partition AND l.epoch = f.epoch FOR SHARE OF l",
                rs -> {
                    current.add(new TopicPartition(rs.getString(1), rs.getInt(2)));
                }, IDLE_IN_TRANSACTION_TIMEOUT.toMillis() + "ms", topics, numbers, epochs);
        if (current.size() != topics.length) {
            Set<TopicPartition> lost = new HashSet<>(fence.epochs().keySet());
            lost.removeAll(current);
            release(lost);
            throw new PartitionLostException("another consumer took partitions of this batch over", lost);
        }
    }

    /** Moves the epochs of these partitions on, in one transaction that waits a bounded time for batches that passed the check. */
    private Map<TopicPartition, Long> takeOver(List<TopicPartition> partitions) {
        String[] topics = partitions.stream().map(TopicPartition::topic).toArray(String[]::new);
        Integer[] numbers = partitions.stream().map(TopicPartition::partition).toArray(Integer[]::new);
        Map<TopicPartition, Long> epochs = new HashMap<>();
        try {
            transactions.executeWithoutResult(status -> {
                jdbc.queryForObject("SELECT set_config('lock_timeout', ?, true)", String.class,
                        TAKEOVER_LOCK_TIMEOUT.toMillis() + "ms");
                jdbc.query("INSERT INTO ingestion_partition_lease AS l (topic, partition, epoch, owner)"
                        + " SELECT f.topic, f.partition, 1, ? FROM unnest(?::text[], ?::int[]) AS f(topic, partition)"
                        + " ON CONFLICT (topic, partition) DO UPDATE SET epoch = l.epoch + 1, owner = EXCLUDED.owner,"
                        + " acquired_at = now() RETURNING l.topic, l.partition, l.epoch",
                        rs -> {
                            epochs.put(new TopicPartition(rs.getString(1), rs.getInt(2)), rs.getLong(3));
                        }, owner, topics, numbers);
            });
        } catch (PessimisticLockingFailureException e) {
            throw new RetryableException("a batch of the partitions' previous owner still holds them", e);
        }
        return epochs;
    }

    /** Forgets the epochs of partitions the group takes away or gives anew; runs on the consumer's thread. */
    public ConsumerAwareRebalanceListener rebalanceListener() {
        return new ConsumerAwareRebalanceListener() {
            @Override
            public void onPartitionsRevokedBeforeCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                release(partitions);
            }

            @Override
            public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                release(partitions);
            }

            @Override
            public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                assigned(partitions);
            }
        };
    }
}
