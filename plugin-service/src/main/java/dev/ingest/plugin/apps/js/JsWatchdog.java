package dev.ingest.plugin.apps.js;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;

/**
 * Cancels JavaScript calls that outlive their timeout. One timer thread serves every app; when a deadline passes it
 * hands {@code context.close(true)} to a separate thread, because cancelling waits until the running code has stopped
 * (the first cancellation in a fresh JVM took about a second here) and must not hold up other deadlines.
 * <p>
 * A cancelled context is closed for good: its sandbox marks itself broken and the pool builds a new one.
 * <p>
 * When deadlines pass is the {@link Timer}'s: real time in the service, the test's say-so in tests (so that no test
 * depends on how fast a busy machine runs a call).
 */
final class JsWatchdog implements AutoCloseable {
    /** Runs {@code expire} once {@code after} has passed, unless the returned handle is cancelled first. */
    interface Timer extends AutoCloseable {
        Runnable schedule(Runnable expire, Duration after);

        @Override
        void close();
    }
    private static final int RUNNING = 0;
    private static final int FINISHED = 1;
    private static final int EXPIRED = 2;

    private final Timer timer;
    private final ExecutorService cancellers;

    JsWatchdog(Timer timer) {
        this.timer = timer;
        cancellers = Executors.newCachedThreadPool(daemon("js-cancel"));
    }

    /** One timer thread for every deadline. */
    static Timer realTime() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, daemon("js-watchdog"));
        // TRICKY: without this every finished call would leave its cancelled deadline in the queue until it is due.
        executor.setRemoveOnCancelPolicy(true);
        return new Timer() {
            @Override
            public Runnable schedule(Runnable expire, Duration after) {
                ScheduledFuture<?> scheduled = executor.schedule(expire, after.toNanos(), TimeUnit.NANOSECONDS);
                return () -> scheduled.cancel(false);
            }

            @Override
            public void close() {
                executor.shutdownNow();
            }
        };
    }

    /** Starts the clock for one call on {@code context}; the caller must {@link Deadline#finish()} it. */
    Deadline start(Context context, Duration timeout) {
        Deadline deadline = new Deadline(context);
        deadline.cancelTimer = timer.schedule(deadline::expire, timeout);
        return deadline;
    }

    @Override
    public void close() {
        timer.close();
        cancellers.shutdown();
    }

    /** One call's deadline. */
    final class Deadline {
        private final Context context;
        private final AtomicInteger state = new AtomicInteger(RUNNING);
        private volatile Runnable cancelTimer;

        private Deadline(Context context) {
            this.context = context;
        }

        /**
         * Stops the clock. False when the deadline had already passed: the context is being cancelled (even if the
         * call itself just returned) and must not be used again.
         */
        boolean finish() {
            if (state.compareAndSet(RUNNING, FINISHED)) {
                Runnable cancel = cancelTimer;
                if (cancel != null) {
                    cancel.run();
                }
                return true;
            }
            return false;
        }

        /** Whether the deadline passed before the call finished. */
        boolean expired() {
            return state.get() == EXPIRED;
        }

        private void expire() {
            if (state.compareAndSet(RUNNING, EXPIRED)) {
                cancellers.execute(() -> cancel(context));
            }
        }
    }

    /** Closes {@code context}, cancelling whatever runs in it; errors of an already cancelled context are expected. */
    static void cancel(Context context) {
        try {
            context.close(true);
        } catch (PolyglotException | IllegalStateException e) {
            // Closing a context whose execution was cancelled reports that cancellation again: nothing to do.
        }
    }

    private static ThreadFactory daemon(String name) {
        return Thread.ofPlatform().name(name + "-", 0).daemon().factory();
    }
}
