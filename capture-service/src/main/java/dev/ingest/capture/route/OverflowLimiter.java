package dev.ingest.capture.route;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per {@code token:distinct_id} (capture-rs {@code limiters/overflow.rs}): {@code burst} events at
 * once, refilled at {@code perSecond}. A key without tokens left is "overflowing": its events go to the overflow
 * topic with no key, so one hot distinct id cannot pin a partition. Forced keys overflow from their first event.
 */
public final class OverflowLimiter {
    private static final int MAX_KEYS = 200_000;

    private final double perSecond;
    private final double burst;
    private final Set<String> forcedKeys;
    private final LongSupplier nanoTime;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public OverflowLimiter(double perSecond, int burst, Set<String> forcedKeys, LongSupplier nanoTime) {
        if (perSecond <= 0 || burst <= 0) {
            throw new IllegalArgumentException("perSecond and burst must be positive");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.forcedKeys = Set.copyOf(forcedKeys);
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime is null");
    }

    /** Takes one token for the key; true when the key has none left and must overflow. */
    public boolean isLimited(String key) {
        if (forcedKeys.contains(key)) {
            return true;
        }
        if (buckets.size() > MAX_KEYS) {
            // A bounded memory: forgetting every bucket only lets each key burst once more.
            buckets.clear();
        }
        long now = nanoTime.getAsLong();
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(burst, now));
        synchronized (bucket) {
            double refill = (now - bucket.updatedAt) / 1e9 * perSecond;
            bucket.tokens = Math.min(burst, bucket.tokens + refill);
            bucket.updatedAt = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return false;
            }
            return true;
        }
    }

    private static final class Bucket {
        private double tokens;
        private long updatedAt;

        private Bucket(double tokens, long updatedAt) {
            this.tokens = tokens;
            this.updatedAt = updatedAt;
        }
    }
}
