package dev.ingest.plugin.apps;

import tools.jackson.databind.node.ObjectNode;

/**
 * An app's {@code onEvent}: runs after the event's ClickHouse message was acknowledged, off the ingestion path, with
 * the same processed-event shape as {@link WebhookComposer}. Throwing fails the attempt; the delivery worker retries
 * it with backoff and dead-letters it after the last attempt.
 */
@FunctionalInterface
public interface OnEventHandler {
    void onEvent(ObjectNode event, AppContext meta) throws Exception;
}
