package dev.ingest.plugin.apps.js;

import dev.ingest.common.testing.Poll;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A watchdog timer whose deadlines pass only when the test says: a test of the timeout does not depend on how long a
 * call takes on a busy machine, and calls the test does not expire never time out.
 */
final class ManualTimer implements JsWatchdog.Timer {
    private record Pending(Runnable expire, AtomicBoolean live) {}

    private final List<Pending> pending = new CopyOnWriteArrayList<>();

    @Override
    public Runnable schedule(Runnable expire, Duration after) {
        Pending deadline = new Pending(expire, new AtomicBoolean(true));
        pending.add(deadline);
        return () -> {
            deadline.live().set(false);
            pending.remove(deadline);
        };
    }

    /** Waits until a call is running under a deadline, then lets its deadline pass. */
    void expireTheRunningCall() {
        Pending running = Poll.until(Duration.ofSeconds(60),
                () -> pending.stream().filter(p -> p.live().get()).findFirst().orElse(null),
                p -> p != null, "a JavaScript call running under a deadline");
        if (running.live().compareAndSet(true, false)) {
            pending.remove(running);
            running.expire().run();
        }
    }

    @Override
    public void close() {
        pending.clear();
    }
}
