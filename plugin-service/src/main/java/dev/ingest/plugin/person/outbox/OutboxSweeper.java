package dev.ingest.plugin.person.outbox;

import dev.ingest.common.kafka.OutgoingRecord;
import dev.ingest.common.kafka.RecordSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Produces the outbox rows no batch deleted: those whose batch died (kill -9) or failed after its PostgreSQL
 * transaction committed. Only rows older than a grace period are taken, so a batch still waiting for its
 * acknowledgement is normally left alone; taking one anyway is harmless, because ClickHouse keeps the highest version
 * of a person, distinct id or group and a duplicate never wins. Each chunk is one transaction: lock (skipping rows
 * another instance holds), produce, wait for Kafka's acknowledgement, delete, commit.
 */
public final class OutboxSweeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OutboxSweeper.class);

    /**
     * @param grace how old a row must be before it is produced again
     * @param chunkSize outbox rows (each one transaction's records) per sweep transaction
     * @param interval pause between two sweeps
     * @param produceTimeout how long a chunk waits for its acknowledgements
     */
    public record Settings(Duration grace, int chunkSize, Duration interval, Duration produceTimeout) {}

    private final ClickHouseOutbox outbox;
    private final TransactionTemplate transactions;
    private final RecordSink sink;
    private final Settings settings;
    private final Counter swept;
    private ScheduledExecutorService scheduler;

    public OutboxSweeper(ClickHouseOutbox outbox, TransactionTemplate transactions, RecordSink sink, Settings settings,
            MeterRegistry metrics) {
        this.outbox = outbox;
        this.transactions = transactions;
        this.sink = sink;
        this.settings = settings;
        this.swept = Counter.builder("ingest_plugin_outbox_swept_total")
                .description("outbox records produced again by the sweeper (their batch never deleted them)").register(metrics);
    }

    /** Sweeps now, then every {@code interval}, on a daemon thread of its own. */
    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("outbox-sweeper").daemon().factory());
        scheduler.scheduleWithFixedDelay(this::sweepLogged, 0, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }

    /**
     * One sweep: chunk after chunk until fewer than a chunk's worth of old rows are left; returns the records
     * produced.
     */
    public int sweep() {
        int total = 0;
        while (true) {
            Chunk chunk = transactions.execute(status -> sweepChunk());
            total += chunk.records();
            if (chunk.rows() < settings.chunkSize()) {
                return total;
            }
        }
    }

    private void sweepLogged() {
        try {
            int produced = sweep();
            if (produced > 0) {
                log.info("outbox sweeper produced {} ClickHouse rows that no batch had delivered", produced);
            }
        } catch (RuntimeException e) {
            // PostgreSQL or Kafka down: the rows stay, the next sweep tries again. Never let the schedule die.
            log.warn("outbox sweep failed ({}); retrying in {}", e.toString(), settings.interval());
        }
    }

    /** One chunk of rows; returns the rows locked (a full chunk means there may be more) and the records produced. */
    private record Chunk(int rows, int records) {}

    private Chunk sweepChunk() {
        List<ClickHouseOutbox.Entry> entries = outbox.lockOlderThan(settings.grace(), settings.chunkSize());
        if (entries.isEmpty()) {
            return new Chunk(0, 0);
        }
        List<OutgoingRecord> records = new ArrayList<>();
        entries.forEach(entry -> records.addAll(entry.records()));
        try {
            sink.send(records).get(settings.produceTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Kafka did not acknowledge " + records.size() + " outbox records", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while producing outbox records", e);
        }
        outbox.delete(ClickHouseOutbox.ids(entries));
        swept.increment(records.size());
        return new Chunk(entries.size(), records.size());
    }
}
