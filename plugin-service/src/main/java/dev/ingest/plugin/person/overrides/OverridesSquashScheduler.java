package dev.ingest.plugin.person.overrides;

import dev.ingest.clickhouse.overrides.PersonOverridesSquash;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the squash of person overrides every {@code interval} (docs/posthog-compatibility.md#persons-on-events-after-merges).
 * A failed run is logged and counted; its overrides stay and the next run repeats it. Several instances may run it at
 * once: the squash is idempotent.
 */
public final class OverridesSquashScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OverridesSquashScheduler.class);

    private final PersonOverridesSquash squash;
    private final ScheduledExecutorService executor;
    private final AtomicLong squashed = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    public OverridesSquashScheduler(PersonOverridesSquash squash, Duration interval) {
        this.squash = squash;
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "person-overrides-squash");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::runOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Overrides squashed so far (metrics). */
    public long squashed() {
        return squashed.get();
    }

    /** Runs that failed (metrics). */
    public long failures() {
        return failures.get();
    }

    private void runOnce() {
        try {
            squashed.addAndGet(squash.run().overrides());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            log.warn("the squash of person overrides failed ({}); the next run repeats it", e.toString());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
