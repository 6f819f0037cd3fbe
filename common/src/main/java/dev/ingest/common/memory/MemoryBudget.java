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
 *
 * <p>A {@code reserve} of the capacity is kept for small requests, so that large ones cannot starve them: each request
 * may hold its first {@code smallAllowance} bytes anywhere in the capacity, but what it holds beyond that must fit
 * below {@code capacity - reserve}. The SDKs' usual requests (a few kilobytes) therefore still get in while megabyte
 * batches fill the rest.
 */
public final class MemoryBudget {
    /** What a small request may hold of the reserve: the SDKs' requests are far smaller. */
    static final long SMALL_REQUEST = 1024 * 1024;

    private final long capacity;
    private final long reserve;
    private final long smallAllowance;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong highWater = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    /** A budget without a reserve. */
    public MemoryBudget(long capacity) {
        this(capacity, 0, 0);
    }

    public MemoryBudget(long capacity, long reserve, long smallAllowance) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("a memory budget must be positive, not " + capacity);
        }
        if (reserve < 0 || reserve >= capacity || smallAllowance < 0) {
            throw new IllegalArgumentException("the reserve must be within the capacity and the allowance positive: "
                    + reserve + " of " + capacity + ", " + smallAllowance);
        }
        this.capacity = capacity;
        this.reserve = reserve;
        this.smallAllowance = smallAllowance;
    }

    /**
     * {@code fraction} of this JVM's maximum heap ({@code -Xmx}), an eighth of it reserved for small requests (each
     * holding up to 1 MiB of it, less in a budget under 64 MiB).
     */
    public static MemoryBudget ofHeapFraction(double fraction) {
        if (!(fraction > 0 && fraction < 1)) {
            throw new IllegalArgumentException("the heap fraction must be between 0 and 1, not " + fraction);
        }
        long capacity = (long) (Runtime.getRuntime().maxMemory() * fraction);
        return new MemoryBudget(capacity, capacity / 8, Math.min(SMALL_REQUEST, capacity / 64));
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

    /** Reserves {@code bytes} if the total stays within {@code limit}. */
    private boolean tryReserve(long bytes, long limit) {
        while (true) {
            long current = used.get();
            long next = current + bytes;
            if (next > limit) {
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
            // Within its small allowance a request may use the reserve; beyond it, only what is left above it.
            long limit = held + bytes <= smallAllowance ? capacity : capacity - reserve;
            if (!tryReserve(bytes, limit)) {
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
