package dev.ingest.plugin.apps.js;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Up to {@code size} sandboxes of one app, so that consumer threads calling the app at once each get their own
 * context instead of queueing on one. Sandboxes are made on first need (a quiet project keeps one), reused most
 * recently used first (its code is warm), and replaced when a call leaves one unusable. A caller waits only when all
 * {@code size} are busy; each busy call ends within its timeout.
 */
final class JsSandboxPool implements AutoCloseable {
    private final Supplier<JsSandbox> factory;
    private final Semaphore permits;
    private final ConcurrentLinkedDeque<JsSandbox> idle = new ConcurrentLinkedDeque<>();
    private final Set<JsSandbox> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** A pool holding {@code first} (already loaded, to learn the script's hooks) that grows up to {@code size}. */
    JsSandboxPool(JsSandbox first, Supplier<JsSandbox> factory, int size) {
        this.factory = factory;
        this.permits = new Semaphore(size);
        open.add(first);
        idle.add(first);
    }

    /** Runs {@code work} on a sandbox of its own. */
    <T> T with(Function<JsSandbox, T> work) {
        if (closed) {
            throw closedError();
        }
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JsAppException(JsAppException.Kind.CLOSED, "js app did not run: the thread was interrupted", e);
        }
        JsSandbox sandbox = null;
        try {
            sandbox = idle.pollFirst();
            if (sandbox == null) {
                sandbox = factory.get();
                open.add(sandbox);
                if (closed) {
                    throw closedError();
                }
            }
            return work.apply(sandbox);
        } finally {
            if (sandbox != null) {
                giveBack(sandbox);
            }
            permits.release();
        }
    }

    /** How many sandboxes exist now (idle or busy). */
    int size() {
        return open.size();
    }

    private void giveBack(JsSandbox sandbox) {
        if (sandbox.usable() && !closed) {
            idle.offerFirst(sandbox);
            if (closed && idle.remove(sandbox)) {
                discard(sandbox);
            }
        } else {
            discard(sandbox);
        }
    }

    private void discard(JsSandbox sandbox) {
        open.remove(sandbox);
        sandbox.close();
    }

    /** Closes every sandbox, cancelling calls still running in them; later calls fail with {@code CLOSED}. */
    @Override
    public void close() {
        closed = true;
        for (JsSandbox sandbox : open) {
            discard(sandbox);
        }
        idle.clear();
    }

    private static JsAppException closedError() {
        return new JsAppException(JsAppException.Kind.CLOSED, "js app did not run: the app was closed");
    }
}
