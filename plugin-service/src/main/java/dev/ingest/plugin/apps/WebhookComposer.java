package dev.ingest.plugin.apps;

import java.util.Optional;
import tools.jackson.databind.node.ObjectNode;

/**
 * A destination app's {@code composeWebhook}: turns an ingested event into the request to send, or skips it. Runs
 * only after the event's ClickHouse message was acknowledged, off the ingestion path. The event is PostHog's
 * processed-event shape: {@code uuid, event, distinct_id, team_id, timestamp, properties, elements_chain, person}
 * ({@code person} = {@code {uuid, properties, created_at}} or absent for personless events).
 * <p>
 * Implementations must be thread-safe. Throwing is contained: the delivery is dead-lettered with the reason (a
 * composer that fails on an event fails the same way on a retry).
 */
@FunctionalInterface
public interface WebhookComposer {
    Optional<WebhookRequest> composeWebhook(ObjectNode event, AppContext meta);
}
