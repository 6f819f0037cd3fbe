package dev.ingest.plugin.outbox;

import java.util.ArrayList;
import java.util.List;

/**
 * The outbox rows written on this thread while one poll batch is processed, so the batch can delete them once Kafka
 * acknowledged its records. TRICKY: a thread-bound collector rather than a value threaded through every step,
 * because the rows are written deep inside person and group processing (batched flush, per-event merges, the
 * one-by-one fallback), all on the consumer thread that runs the batch. Ids of a transaction that rolled back are
 * recorded too; deleting an id that does not exist is harmless.
 */
public final class OutboxEntries implements AutoCloseable {
    private static final ThreadLocal<OutboxEntries> CURRENT = new ThreadLocal<>();

    private final List<Long> ids = new ArrayList<>();
    private final OutboxEntries enclosing;

    private OutboxEntries(OutboxEntries enclosing) {
        this.enclosing = enclosing;
    }

    /** Starts collecting on this thread until {@link #close()}. */
    public static OutboxEntries open() {
        OutboxEntries entries = new OutboxEntries(CURRENT.get());
        CURRENT.set(entries);
        return entries;
    }

    /** Called by {@link ClickHouseOutbox} for the rows it inserted; a no-op when no batch is open on this thread. */
    static void record(List<Long> written) {
        OutboxEntries entries = CURRENT.get();
        if (entries != null) {
            entries.ids.addAll(written);
        }
    }

    public List<Long> ids() {
        return List.copyOf(ids);
    }

    /**
     * Stops tracking what was collected so far: those rows stay in the outbox for the sweeper (their records were
     * discarded, for example when a batch is processed again one event at a time).
     */
    public void leaveToSweeper() {
        ids.clear();
    }

    @Override
    public void close() {
        if (enclosing == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(enclosing);
        }
    }
}
