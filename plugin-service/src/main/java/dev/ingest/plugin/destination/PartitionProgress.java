package dev.ingest.plugin.destination;

import java.util.TreeMap;

/**
 * Which offsets of one partition may be committed while their deliveries finish out of order: a record is done
 * when each of its deliveries was delivered, skipped, or durably handed to the retry or dead-letter topic. The
 * committable offset is the first record not done (or the next to read), so a slow destination holds back the
 * commit, never the other destinations' deliveries. Thread-safe: completions arrive from delivery threads.
 */
final class PartitionProgress {
    private final TreeMap<Long, Integer> pending = new TreeMap<>();
    private long next = -1;

    /** Registers a read record with {@code deliveries} still to finish (0: done already). */
    synchronized void add(long offset, int deliveries) {
        if (deliveries > 0) {
            pending.merge(offset, deliveries, Integer::sum);
        }
        next = Math.max(next, offset + 1);
    }

    /** One delivery of the record at {@code offset} finished. */
    synchronized void done(long offset) {
        pending.computeIfPresent(offset, (o, left) -> left > 1 ? left - 1 : null);
    }

    /** The offset to commit (the next record to process after a restart), or -1 when nothing was read. */
    synchronized long committable() {
        return pending.isEmpty() ? next : pending.firstKey();
    }

    synchronized int pendingRecords() {
        return pending.size();
    }
}
