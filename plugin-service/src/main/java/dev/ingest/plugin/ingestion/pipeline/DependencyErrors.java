package dev.ingest.plugin.ingestion.pipeline;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.transaction.CannotCreateTransactionException;

/**
 * The one place that classifies errors: is this exception a dependency being unavailable (retry the batch, keep the
 * offsets), the batch's partitions taken over by another consumer (abandon the batch: {@link #lostPartitions}), or
 * something wrong with the event itself (dead-letter it and move on)? Walks the cause chain, by type and
 * by SQLSTATE class: 08 connection, 40 transaction rollback (serialization, deadlock), 53 insufficient resources,
 * 57 operator intervention (shutdown), 58 system error.
 */
public final class DependencyErrors {
    private DependencyErrors() {}

    /** The partitions taken over, when the cause chain holds a {@link PartitionLostException}; else null. */
    public static PartitionLostException lostPartitions(Throwable error) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof PartitionLostException lost) {
                return lost;
            }
        }
        return null;
    }

    /** Whether the error ends the whole batch (retried, or abandoned) rather than dead-lettering one event. */
    public static boolean endsBatch(Throwable error) {
        return isRetryable(error) || lostPartitions(error) != null;
    }

    public static boolean isRetryable(Throwable error) {
        // A cause chain can loop (a.initCause(b) with b caused by a): remember what was seen so the walk ends.
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof RetryableException
                    || t instanceof TransientDataAccessException
                    || t instanceof CannotCreateTransactionException
                    || t instanceof SQLTransientException
                    || t instanceof SQLRecoverableException
                    || t instanceof RetriableException
                    || t instanceof TimeoutException
                    || t instanceof ConnectException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String sqlClass = sql.getSQLState().length() >= 2 ? sql.getSQLState().substring(0, 2) : "";
                switch (sqlClass) {
                    case "08", "40", "53", "57", "58" -> {
                        return true;
                    }
                    default -> {
                        // a data or constraint problem of this event: not retryable
                    }
                }
            }
        }
        return false;
    }
}
