package dev.ingest.plugin.ingestion.consumer;

import dev.ingest.common.kafka.OutgoingRecord;
import dev.ingest.common.kafka.RecordSink;
import dev.ingest.plugin.ingestion.pipeline.BatchScope;
import dev.ingest.plugin.ingestion.pipeline.DependencyErrors;
import dev.ingest.plugin.ingestion.pipeline.EventContext;
import dev.ingest.plugin.ingestion.pipeline.EventPipeline;
import dev.ingest.plugin.ingestion.pipeline.PartitionLostException;
import dev.ingest.plugin.ingestion.pipeline.PipelineStage;
import dev.ingest.plugin.ingestion.pipeline.RetryableException;
import dev.ingest.plugin.person.outbox.ClickHouseOutbox;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One poll batch: every message through the pipeline, the batch's persons and groups written, then every resulting
 * record produced, then (only then) the method returns and the container commits the batch's offsets. A record
 * Kafka did not acknowledge fails the batch, which is retried as a whole: at-least-once, with duplicates collapsing
 * downstream (same uuid, same version).
 *
 * <p>The person and distinct-id rows are also written to the outbox by the transactions that made them; once Kafka
 * acknowledged the batch, the batch deletes its outbox rows in one statement. A batch that fails or dies leaves them
 * to the {@link dev.ingest.plugin.person.outbox.OutboxSweeper}, because its retry finds PostgreSQL changed already and would
 * not produce them again.
 *
 * <p>Every write transaction of the batch first checks the batch's {@link PartitionLeases}: a batch whose partitions
 * another consumer took over meanwhile writes nothing, and ends with a {@link PartitionLostException} that the
 * container neither retries nor commits.
 */
public final class BatchProcessor {
    private static final Logger log = LoggerFactory.getLogger(BatchProcessor.class);

    private final EventPipeline pipeline;
    private final RecordSink sink;
    private final Duration produceTimeout;
    private final Function<Runnable, BatchScope> scopes;
    private final ClickHouseOutbox outbox;
    private final PartitionLeases leases;

    /**
     * @param scopes a fresh person store and group batch for each poll batch, whose write transactions run the given
     *     fence check first
     */
    public BatchProcessor(EventPipeline pipeline, RecordSink sink, Duration produceTimeout,
            Function<Runnable, BatchScope> scopes, ClickHouseOutbox outbox, PartitionLeases leases) {
        this.pipeline = pipeline;
        this.sink = sink;
        this.produceTimeout = produceTimeout;
        this.scopes = scopes;
        this.outbox = outbox;
        this.leases = leases;
    }

    /** What a batch (or one event of it) owes Kafka, and the outbox rows to delete once Kafka has it. */
    private record Written(List<OutgoingRecord> records, List<Long> outboxIds) {}

    /**
     * Processes one poll batch.
     *
     * @throws PartitionLostException if the consumer lost one of the batch's partitions before the batch wrote
     *     (nothing of the batch is written or produced after that; its offsets are not committed)
     */
    public void process(List<ConsumerRecord<String, byte[]>> batch) {
        Set<TopicPartition> partitions = new HashSet<>();
        batch.forEach(record -> partitions.add(new TopicPartition(record.topic(), record.partition())));
        PartitionLeases.Fence fence = leases.acquire(partitions);
        Runnable check = () -> leases.check(fence);
        List<EventContext.Source> sources = new ArrayList<>(batch.size());
        batch.forEach(record -> sources.add(source(record)));
        Written written;
        try {
            written = write(sources, check);
        } catch (RuntimeException e) {
            if (DependencyErrors.endsBatch(e)) {
                throw e;
            }
            // The batch's one write was refused because of some event in it, and which one is unknown: process the
            // batch again one event at a time, so that event alone goes to the dead-letter topic and the partition
            // moves on (a poison message never stalls a consumer). What the batched attempt committed before it
            // failed (merges) is not among the records: its outbox rows stay for the sweeper.
            log.warn("batched person write failed ({}); processing the batch's {} events one by one",
                    e.getClass().getSimpleName(), batch.size());
            List<OutgoingRecord> records = new ArrayList<>(batch.size() * 2);
            List<Long> outboxIds = new ArrayList<>();
            for (EventContext.Source source : sources) {
                try {
                    Written one = write(List.of(source), check);
                    records.addAll(one.records());
                    outboxIds.addAll(one.outboxIds());
                } catch (RuntimeException failed) {
                    if (DependencyErrors.endsBatch(failed)) {
                        throw failed;
                    }
                    records.addAll(pipeline.deadLetter(source, PipelineStage.PROCESS_PERSON, failed));
                }
            }
            written = new Written(records, outboxIds);
        }
        send(written.records());
        delivered(written.outboxIds());
    }

    private Written write(List<EventContext.Source> sources, Runnable fence) {
        BatchScope scope = scopes.apply(fence);
        List<OutgoingRecord> records = new ArrayList<>(sources.size() * 2);
        records.addAll(pipeline.runBatch(sources, scope));
        records.addAll(scope.flush());
        return new Written(records, scope.outboxIds());
    }

    /** Kafka has the batch's rows: its outbox rows are done. If PostgreSQL cannot delete them now, the sweeper will. */
    private void delivered(List<Long> outboxIds) {
        if (outboxIds.isEmpty()) {
            return;
        }
        try {
            outbox.delete(outboxIds);
        } catch (RuntimeException e) {
            log.warn("could not delete {} delivered outbox rows ({}); the sweeper will produce them again", outboxIds.size(),
                    e.toString());
        }
    }

    private void send(List<OutgoingRecord> outputs) {
        if (outputs.isEmpty()) {
            return;
        }
        try {
            sink.send(outputs).get(produceTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new RetryableException("Kafka did not acknowledge the batch's " + outputs.size() + " records", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableException("interrupted while producing the batch", e);
        }
    }

    static EventContext.Source source(ConsumerRecord<String, byte[]> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            if (header.value() != null) {
                headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        return new EventContext.Source(record.topic(), record.partition(), record.offset(), record.key(),
                record.value() == null ? new byte[0] : record.value(), headers);
    }
}
