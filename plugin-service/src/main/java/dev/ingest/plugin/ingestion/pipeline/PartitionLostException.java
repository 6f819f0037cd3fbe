package dev.ingest.plugin.ingestion.pipeline;

import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * The batch belongs to partitions this consumer no longer owns: another consumer took them over (the group moved them
 * while this one was cut off or paused) and, with them, the right to write their persons. The batch is abandoned
 * without a write and without an offset commit; the new owner processes its records from the committed offsets. Not
 * a dependency error: retrying it could only write stale data.
 */
public class PartitionLostException extends RuntimeException {
    private final Set<TopicPartition> partitions;

    public PartitionLostException(String message, Set<TopicPartition> partitions) {
        super(message + ": " + partitions);
        this.partitions = Set.copyOf(partitions);
    }

    public Set<TopicPartition> partitions() {
        return partitions;
    }
}
