package dev.ingest.plugin.apps;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apps each project runs, in order, built from its enabled app_config rows. A project's list is cached and
 * re-read at most every {@code refresh} (10 s in the service), so a configuration change takes effect within that
 * time without a restart. When a re-read returns the same rows, the built transformers are kept (compiled patterns
 * and the like are not rebuilt). A row that cannot be built becomes an app that fails on every event with the
 * reason, which the pipeline step contains and reports as an app_error warning.
 */
public final class AppRegistry {
    private static final Logger log = LoggerFactory.getLogger(AppRegistry.class);

    /** One app as it runs for a project. */
    public record ConfiguredApp(AppConfig config, AppHooks hooks) {
        public String name() {
            return config.app();
        }

        public EventTransformer transformer() {
            return hooks.processEvent();
        }
    }

    private record Entry(List<AppConfig> configs, List<ConfiguredApp> apps, long expiresAt) {}

    private static final Duration RETIRE_GRACE = Duration.ofSeconds(60);

    private final AppConfigSource source;
    private final BuiltInApps builtIns;
    private final long refreshNanos;
    private final LongSupplier nanoTime;
    private final Map<Long, Entry> byTeam = new ConcurrentHashMap<>();
    private volatile long anyEnabledUntil;
    private volatile boolean anyEnabled = true;

    public AppRegistry(AppConfigSource source, BuiltInApps builtIns, Duration refresh) {
        this(source, builtIns, refresh, System::nanoTime);
    }

    AppRegistry(AppConfigSource source, BuiltInApps builtIns, Duration refresh, LongSupplier nanoTime) {
        this.source = source;
        this.builtIns = builtIns;
        this.refreshNanos = refresh.toNanos();
        this.nanoTime = nanoTime;
        this.anyEnabledUntil = nanoTime.getAsLong();
    }

    /** The project's apps in order; empty when it has none. Database errors propagate (retryable). */
    public List<ConfiguredApp> appsFor(long teamId) {
        long now = nanoTime.getAsLong();
        Entry entry = byTeam.get(teamId);
        if (entry != null && now - entry.expiresAt() < 0) {
            return entry.apps();
        }
        List<AppConfig> configs = List.copyOf(source.enabledApps(teamId));
        List<ConfiguredApp> apps = entry != null && entry.configs().equals(configs) ? entry.apps() : build(configs);
        byTeam.put(teamId, new Entry(configs, apps, now + refreshNanos));
        if (entry != null && apps != entry.apps()) {
            retire(entry.apps());
        }
        return apps;
    }

    /**
     * Whether any project may have a destination: false only when no project has an enabled app (re-read once per
     * refresh period). A database error counts as "maybe": the caller then reads events as usual.
     */
    public boolean anyDestinations() {
        long now = nanoTime.getAsLong();
        if (now - anyEnabledUntil >= 0) {
            try {
                anyEnabled = source.anyEnabled();
            } catch (RuntimeException e) {
                log.debug("could not tell whether any app is enabled: {}", e.toString());
                anyEnabled = true;
            }
            anyEnabledUntil = now + Math.max(refreshNanos, 1_000_000_000L);
        }
        return anyEnabled;
    }

    /** The project's processEvent apps, in order. */
    public List<ConfiguredApp> transformersFor(long teamId) {
        List<ConfiguredApp> apps = appsFor(teamId);
        for (ConfiguredApp app : apps) {
            if (app.hooks().processEvent() == null) {
                return apps.stream().filter(a -> a.hooks().processEvent() != null).toList();
            }
        }
        return apps;
    }

    /** The project's destinations (composeWebhook or onEvent), in order. */
    public List<ConfiguredApp> destinationsFor(long teamId) {
        List<ConfiguredApp> apps = appsFor(teamId);
        return apps.isEmpty() ? apps : apps.stream().filter(a -> a.hooks().isDestination()).toList();
    }

    /**
     * Replaced apps may still be running on another thread: their resources (a JS app's contexts) are closed after a
     * grace period much longer than any call may take.
     */
    private static void retire(List<ConfiguredApp> apps) {
        List<AutoCloseable> resources = apps.stream().map(a -> a.hooks().resources()).filter(r -> r != null).toList();
        if (resources.isEmpty()) {
            return;
        }
        Thread.ofVirtual().name("retire-apps").start(() -> {
            try {
                Thread.sleep(RETIRE_GRACE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (AutoCloseable resource : resources) {
                try {
                    resource.close();
                } catch (Exception e) {
                    log.warn("closing a replaced app failed: {}", e.toString());
                }
            }
        });
    }

    private void disable(AppConfig config, String reason) {
        log.warn("app_config {} of team {} ({}) disabled: {}", config.id(), config.teamId(), config.app(), reason);
        try {
            source.disable(config.id(), reason);
        } catch (RuntimeException e) {
            log.warn("could not record that app_config {} is disabled: {}", config.id(), e.toString());
        }
        byTeam.remove(config.teamId());
    }

    private List<ConfiguredApp> build(List<AppConfig> configs) {
        List<ConfiguredApp> apps = new ArrayList<>(configs.size());
        for (AppConfig config : configs) {
            AppHooks hooks;
            try {
                hooks = builtIns.create(config.app(), config.config(), reason -> disable(config, reason));
            } catch (RuntimeException e) {
                log.warn("app_config {} of team {} ({}) is invalid: {}", config.id(), config.teamId(), config.app(),
                        e.getMessage());
                hooks = AppHooks.failing("invalid app configuration: " + e.getMessage(),
                        BuiltInApps.isDestination(config.app()));
            }
            apps.add(new ConfiguredApp(config, hooks));
        }
        return List.copyOf(apps);
    }
}
