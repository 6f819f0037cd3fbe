package dev.ingest.plugin.apps;

import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/** What an app made of an event: keep it (the returned JSON, possibly modified) or drop it, with a reason. */
public sealed interface AppResult {
    /** Go on with {@code event}: usually the same object the app was given, edited in place. */
    record Keep(ObjectNode event) implements AppResult {
        public Keep {
            Objects.requireNonNull(event, "event is null");
        }
    }

    /** Stop: the event is not ingested. {@code reason} is for logs and tests; the step's drop cause is app_filtered. */
    record Drop(String reason) implements AppResult {}

    static AppResult keep(ObjectNode event) {
        return new Keep(event);
    }

    static AppResult drop(String reason) {
        return new Drop(reason);
    }
}
