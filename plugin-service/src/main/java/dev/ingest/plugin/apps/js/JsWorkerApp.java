package dev.ingest.plugin.apps.js;

import dev.ingest.common.json.Json;
import dev.ingest.plugin.apps.AppContext;
import dev.ingest.plugin.apps.AppHooks;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@code js} app run in a worker process of its own ({@link JsWorkerMain}), with a heap the operator caps: a script
 * that allocates without end, or never returns, ends or stalls only its worker. The call that was running fails (the
 * event goes on unchanged with an {@code app_error} warning, as for any app error), and the next call starts a new
 * worker. An app that fails on resources {@code maxFailures} times within {@code failureWindow} (its worker crashed,
 * or a call ran past its timeout or statement limit: each such call held a consumer thread for the whole limit) is
 * disabled: it is no longer run, every call fails at once naming the reason, and {@code onDisabled} is told
 * (plugin-service records it on the app's row, where the apps API shows it). A script that merely throws is the
 * script's business and does not count.
 * <p>
 * Calls of one app are run one at a time (its worker has one thread); other apps have their own workers.
 */
public final class JsWorkerApp extends JsHookCalls implements AutoCloseable {
    /** How the operator runs JavaScript apps: worker JVMs and their limits. */
    public record Settings(JsWorker.Launch launch, Duration loadTimeout, int maxFailures, Duration failureWindow) {}

    private final Settings settings;
    private final String configJson;
    private final String metaConfigJson;
    private final Set<JsHook> hooks;
    private final Consumer<String> onDisabled;
    private final LongSupplier nanoTime;
    private final Deque<Long> failures = new ArrayDeque<>();
    private JsWorker worker;
    private String disabledReason;
    private boolean closed;

    private JsWorkerApp(Settings settings, String configJson, String metaConfigJson, Set<JsHook> hooks, JsWorker worker,
            Consumer<String> onDisabled, LongSupplier nanoTime) {
        this.settings = settings;
        this.configJson = configJson;
        this.metaConfigJson = metaConfigJson;
        this.hooks = hooks;
        this.worker = worker;
        this.onDisabled = onDisabled;
        this.nanoTime = nanoTime;
    }

    /**
     * Starts the app's worker and loads the script there. Throws {@link IllegalArgumentException} when the config is
     * invalid or the script does not load, as {@link JsApp#fromConfig} does.
     */
    public static JsWorkerApp start(Settings settings, JsonNode config, Consumer<String> onDisabled) {
        if (config == null || !config.isObject()) {
            throw new IllegalArgumentException("js app config must be an object with a source");
        }
        ObjectNode meta = ((ObjectNode) config).deepCopy();
        meta.remove(JsApp.SOURCE);
        String configJson = Json.write(config);
        JsWorker worker = null;
        try {
            worker = JsWorker.start(settings.launch());
            Set<JsHook> hooks = load(worker, configJson, settings.loadTimeout());
            return new JsWorkerApp(settings, configJson, Json.write(meta), hooks, worker, onDisabled, System::nanoTime);
        } catch (IOException e) {
            throw new IllegalStateException("could not start a JavaScript worker: " + e.getMessage(), e);
        } catch (JsWorker.Died e) {
            throw new IllegalArgumentException("js app could not be loaded: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (worker != null) {
                worker.close();
            }
            throw e;
        }
    }

    private static Set<JsHook> load(JsWorker worker, String configJson, Duration timeout) throws JsWorker.Died {
        JsFrames answer = worker.exchange(JsFrames.LOAD, configJson, null, null, timeout);
        if (answer.code() != JsFrames.OK) {
            worker.close();
            throw new IllegalArgumentException(answer.a());
        }
        Set<JsHook> hooks = EnumSet.noneOf(JsHook.class);
        Arrays.stream(answer.a().split(",")).filter(name -> !name.isEmpty()).map(JsHook::ofJsName).forEach(hooks::add);
        return hooks;
    }

    /** This app as the registry runs it: only the hooks the script defines, and this app to close when replaced. */
    public AppHooks hooks() {
        return new AppHooks(hooks.contains(JsHook.PROCESS_EVENT) ? this : null,
                hooks.contains(JsHook.COMPOSE_WEBHOOK) ? this : null, hooks.contains(JsHook.ON_EVENT) ? this : null, this);
    }

    /** Why the app is no longer run, or null while it is. */
    public synchronized String disabledReason() {
        return disabledReason;
    }

    /** The pid of the app's worker process now, or -1 when none runs. */
    public synchronized long workerPid() {
        return worker != null && worker.isAlive() ? worker.pid() : -1;
    }

    @Override
    synchronized String call(JsHook hook, ObjectNode event, AppContext meta) {
        if (closed) {
            throw new JsAppException(JsAppException.Kind.CLOSED, "js app was replaced");
        }
        if (disabledReason != null) {
            throw new JsAppException(JsAppException.Kind.DISABLED, "js app is disabled: " + disabledReason);
        }
        String metaJson = metaJson(metaConfigJson, meta);
        try {
            if (worker == null || !worker.isAlive()) {
                worker = JsWorker.start(settings.launch());
                load(worker, configJson, settings.loadTimeout());
            }
            // The worker's own watchdog ends a call at its timeout; this deadline is for a worker that cannot.
            Duration deadline = settings.launch().timeout().plusSeconds(5);
            JsFrames answer = worker.exchange(JsFrames.CALL, hook.jsName(), Json.write(event), metaJson, deadline);
            if (answer.code() == JsFrames.ERROR) {
                JsAppException error = new JsAppException(JsAppException.Kind.valueOf(answer.b()), answer.a());
                if (error.kind() == JsAppException.Kind.TIMED_OUT || error.kind() == JsAppException.Kind.STATEMENT_LIMIT) {
                    failed(error.getMessage());
                }
                throw error;
            }
            return answer.a();
        } catch (JsWorker.Died e) {
            worker = null;
            failed(e.getMessage());
            throw new JsAppException(JsAppException.Kind.CRASHED, "js app " + hook.jsName() + " failed: "
                    + e.getMessage());
        } catch (IOException e) {
            throw new JsAppException(JsAppException.Kind.INTERNAL, "could not start a JavaScript worker: "
                    + e.getMessage());
        }
    }

    private void failed(String reason) {
        long now = nanoTime.getAsLong();
        failures.addLast(now);
        while (!failures.isEmpty() && now - failures.peekFirst() > settings.failureWindow().toNanos()) {
            failures.removeFirst();
        }
        if (failures.size() >= settings.maxFailures()) {
            disabledReason = "it failed " + failures.size() + " times within " + settings.failureWindow().toMinutes()
                    + " min (out of memory, past its timeout or its statement limit); the last time: " + reason;
            if (worker != null) {
                worker.close();
                worker = null;
            }
            onDisabled.accept(disabledReason);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (worker != null) {
            worker.close();
            worker = null;
        }
    }
}
