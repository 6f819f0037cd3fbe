package dev.ingest.capture.kafka;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Sends messages; completes when the broker acknowledged every one of them (acks=all), or fails. */
public interface EventSink {
    CompletableFuture<Void> send(List<OutgoingMessage> messages);
}
