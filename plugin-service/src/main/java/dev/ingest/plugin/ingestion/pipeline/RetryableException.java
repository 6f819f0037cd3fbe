package dev.ingest.plugin.ingestion.pipeline;

/**
 * A dependency (PostgreSQL, Kafka) is unavailable: the batch must be retried later, its offsets left uncommitted.
 * Only {@link DependencyErrors} decides that an exception is one of these.
 */
public class RetryableException extends RuntimeException {
    public RetryableException(String message, Throwable cause) {
        super(message, cause);
    }
}
