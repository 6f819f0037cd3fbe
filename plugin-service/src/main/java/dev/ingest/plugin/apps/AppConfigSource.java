package dev.ingest.plugin.apps;

import java.util.List;

/** Where app configurations come from: PostgreSQL in the service ({@link JdbcAppConfigSource}), a list in tests. */
@FunctionalInterface
public interface AppConfigSource {
    /** The project's enabled apps in the order they run. Database errors propagate (the batch is retried). */
    List<AppConfig> enabledApps(long teamId);

    /**
     * Whether any project has an enabled app; when none has, nothing can be delivered and the destinations consumer
     * skips reading events. A source that cannot tell says {@code true}.
     */
    default boolean anyEnabled() {
        return true;
    }

    /** Stops running an app by itself (its row is disabled with the reason); a source that cannot record it ignores it. */
    default void disable(long appId, String reason) {}
}
