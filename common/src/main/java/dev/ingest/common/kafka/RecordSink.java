package dev.ingest.common.kafka;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Produces records; completes when Kafka acknowledged all of them. */
public interface RecordSink {
    CompletableFuture<Void> send(List<OutgoingRecord> records);
}
