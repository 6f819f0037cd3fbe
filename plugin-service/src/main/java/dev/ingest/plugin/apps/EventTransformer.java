package dev.ingest.plugin.apps;

import tools.jackson.databind.node.ObjectNode;

/**
 * An app's {@code processEvent}: sees the event JSON (as captured: {@code event}, {@code properties} (an object),
 * {@code $set}, ...) before person processing and returns it, possibly modified in place, or drops it.
 * <p>
 * Implementations must be thread-safe (one instance serves all consumer threads of a project) and should not block.
 * Throwing is allowed and contained: {@link ProcessEventAppsStep} then goes on with the event as it was before this
 * app, records an {@code app_error} ingestion warning and counts the error.
 */
@FunctionalInterface
public interface EventTransformer {
    AppResult processEvent(ObjectNode event, AppContext meta);
}
