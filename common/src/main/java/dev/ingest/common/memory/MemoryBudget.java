package dev.ingest.common.memory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap a service lets requests in flight hold (bodies being read, decompressed, parsed, and the records waiting
 * for Kafka), shared by all of them. A request charges what it is about to hold before it allocates it, through its
 * {@link Lease}, and gives everything back when it ends. A charge the budget cannot cover is refused with
 * {@link Exhausted} (the service answers 503 with Retry-After: load beyond capacity, retried by the SDKs); a charge
 * over the request's own cap is refused with {@link RequestTooCostly} (413: the request can never fit). Either way the
 * allocation never happens, so a flood of requests cannot turn into an OutOfMemoryError.
 *
 * <p>The figures are what the request's objects hold, estimated where a parser allocates them, not what the JVM's
 * garbage collector has reclaimed yet; size the budget as a fraction of the heap with room for that lag.
 */
public final class MemoryBudget {
    private final long capacity;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong highWater = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    public MemoryBudget(long capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("a memory budget must be positive, not " + capacity);
        }
        this.capacity = capacity;
    }

    /** {@code fraction} of this JVM's maximum heap ({@code -Xmx}). */
    public static MemoryBudget ofHeapFraction(double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("the heap fraction must be between 0 and 1, not " + fraction);
        }
        return new MemoryBudget((long) (Runtime.getRuntime().maxMemory() * fraction));
    }

    /** A lease for one request that may hold at most {@code requestCap} bytes. Close it when the request ends. */
    public Lease lease(long requestCap) {
        return new Lease(requestCap);
    }

    public long capacity() {
        return capacity;
    }

    public long used() {
        return used.get();
    }

    /** The most ever held at once since start. */
    public long highWater() {
        return highWater.get();
    }

    /** How many charges were refused because the budget was exhausted. */
    public long refused() {
        return refused.get();
    }

    private boolean tryReserve(long bytes) {
        while (true) {
            long current = used.get();
            long next = current + bytes;
            if (next > capacity) {
                refused.incrementAndGet();
                return false;
            }
            if (used.compareAndSet(current, next)) {
                highWater.accumulateAndGet(next, Math::max);
                return true;
            }
        }
    }

    /** What one request holds of the budget. Used by the request's own thread only. */
    public final class Lease implements AutoCloseable {
        private final long cap;
        private long held;
        private boolean closed;

        private Lease(long cap) {
            if (cap <= 0) {
                throw new IllegalArgumentException("a request cap must be positive, not " + cap);
            }
            this.cap = cap;
        }

        /** Reserves {@code bytes} more before they are allocated. */
        public void charge(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("cannot charge " + bytes + " bytes");
            }
            if (closed) {
                throw new IllegalStateException("the lease is closed");
            }
            if (held + bytes > cap) {
                throw new RequestTooCostly(cap);
            }
            if (!tryReserve(bytes)) {
                throw new Exhausted(capacity);
            }
            held += bytes;
        }

        /** Gives back {@code bytes} that are no longer held (at most what is held). */
        public void release(long bytes) {
            long released = Math.min(Math.max(bytes, 0), held);
            held -= released;
            used.addAndGet(-released);
        }

        public long held() {
            return held;
        }

        public long cap() {
            return cap;
        }

        @Override
        public void close() {
            release(held);
            closed = true;
        }
    }

    /** The service holds as much for requests in flight as its budget allows: try again shortly. */
    public static final class Exhausted extends RuntimeException {
        private final long capacity;

        Exhausted(long capacity) {
            super("the in-flight memory budget of " + capacity + " bytes is in use by other requests", null, false, false);
            this.capacity = capacity;
        }

        public long capacity() {
            return capacity;
        }
    }

    /** One request would hold more than a request may: it can never be served as it is. */
    public static final class RequestTooCostly extends RuntimeException {
        private final long cap;

        RequestTooCostly(long cap) {
            super("the request would hold more than " + cap + " bytes once read, decompressed and parsed", null, false,
                    false);
            this.cap = cap;
        }

        public long cap() {
            return cap;
        }
    }
}
