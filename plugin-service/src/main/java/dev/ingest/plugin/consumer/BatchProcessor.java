package dev.ingest.plugin.consumer;

import dev.ingest.common.kafka.OutgoingRecord;
import dev.ingest.common.kafka.RecordSink;
import dev.ingest.plugin.outbox.ClickHouseOutbox;
import dev.ingest.plugin.outbox.OutboxEntries;
import dev.ingest.plugin.pipeline.EventContext;
import dev.ingest.plugin.pipeline.EventPipeline;
import dev.ingest.plugin.person.PersonBatch;
import dev.ingest.plugin.pipeline.DependencyErrors;
import dev.ingest.plugin.pipeline.RetryableException;
import dev.ingest.plugin.step.ProcessPersonStep;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * One poll batch: every message through the pipeline, then every resulting record produced, then (only then) the
 * method returns and the container commits the batch's offsets. A record Kafka did not acknowledge fails the batch,
 * which is retried as a whole: at-least-once, with duplicates collapsing downstream (same uuid, same version).
 *
 * <p>The person, distinct-id and group rows are also written to the outbox by the transactions that made them; once
 * Kafka acknowledged the batch, the batch deletes its outbox rows in one statement. A batch that fails or dies
 * leaves them to the {@link dev.ingest.plugin.outbox.OutboxSweeper}, because its retry finds PostgreSQL changed
 * already and would not produce them again.
 */
public final class BatchProcessor {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(BatchProcessor.class);

    private final EventPipeline pipeline;
    private final RecordSink sink;
    private final Duration produceTimeout;
    private final Supplier<EventContext.BatchScope> scopes;
    private final ClickHouseOutbox outbox;

    /** @param scopes a fresh person and group batch for each poll batch */
    public BatchProcessor(EventPipeline pipeline, RecordSink sink, Duration produceTimeout,
            Supplier<EventContext.BatchScope> scopes, ClickHouseOutbox outbox) {
        this.pipeline = pipeline;
        this.sink = sink;
        this.produceTimeout = produceTimeout;
        this.scopes = scopes;
        this.outbox = outbox;
    }

    /**
     * One query per project for the persons of every distinct id the batch's events will touch: their own, and the
     * one an {@code $identify} / {@code $create_alias} / {@code $merge_dangerously} merges in.
     */
    private static void prefetch(List<EventContext> events, PersonBatch persons) {
        Map<Long, Set<String>> byTeam = new LinkedHashMap<>();
        for (EventContext event : events) {
            if (!event.processPerson()) {
                continue;
            }
            Set<String> ids = byTeam.computeIfAbsent(event.team().id(), t -> new LinkedHashSet<>());
            ids.add(event.distinctId());
            String mergeFrom = ProcessPersonStep.mergeFrom(event.eventName(), event.properties());
            if (mergeFrom != null) {
                ids.add(mergeFrom);
            }
        }
        byTeam.forEach((teamId, distinctIds) -> persons.prefetch(teamId, List.copyOf(distinctIds)));
    }

    public void process(List<ConsumerRecord<String, byte[]>> batch) {
        try (OutboxEntries written = OutboxEntries.open()) {
            List<OutgoingRecord> outputs;
            try {
                outputs = processBatched(batch);
            } catch (RuntimeException e) {
                if (DependencyErrors.isRetryable(e)) {
                    throw e;
                }
                // The batch's one write was refused because of some event in it, and which one is unknown: process the
                // batch again one event per transaction, so that event alone goes to the dead-letter topic and the
                // partition moves on (a poison message never stalls a consumer). Merges the batched attempt committed
                // before it failed are not among the outputs: their outbox rows stay for the sweeper.
                log.warn("batched person write failed ({}); processing the batch's {} events one by one",
                        e.getClass().getSimpleName(), batch.size());
                written.leaveToSweeper();
                outputs = new ArrayList<>(batch.size() * 2);
                for (ConsumerRecord<String, byte[]> record : batch) {
                    outputs.addAll(pipeline.run(source(record)));
                }
            }
            send(outputs);
            delivered(written.ids());
        }
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

    private List<OutgoingRecord> processBatched(List<ConsumerRecord<String, byte[]>> batch) {
        List<OutgoingRecord> outputs = new ArrayList<>(batch.size() * 2);
        EventContext.BatchScope scope = scopes.get();
        List<EventContext.Source> sources = new ArrayList<>(batch.size());
        batch.forEach(record -> sources.add(source(record)));
        outputs.addAll(pipeline.runBatch(sources, scope, events -> prefetch(events, scope.persons())));
        outputs.addAll(scope.persons().flush());
        outputs.addAll(scope.groups().flush());
        return outputs;
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
