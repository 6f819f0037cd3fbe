package dev.ingest.plugin.apps;

import java.util.List;

/** Where app configurations come from: PostgreSQL in the service ({@link JdbcAppConfigSource}), a list in tests. */
@FunctionalInterface
public interface AppConfigSource {
    /** The project's enabled apps in the order they run. Database errors propagate (the batch is retried). */
    List<AppConfig> enabledApps(long teamId);
}
