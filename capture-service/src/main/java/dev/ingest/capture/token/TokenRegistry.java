package dev.ingest.capture.token;

import dev.ingest.capture.config.CaptureProperties;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Project tokens from PostgreSQL through a cache. A known token is trusted for a while; an unknown one is asked
 * again within seconds, so a project created a moment ago is accepted almost at once. When PostgreSQL cannot be
 * reached, a token seen before keeps its last answer however old, and one never seen is {@code Unverified}.
 */
@Component
public class TokenRegistry {
    private static final int MAX_ENTRIES = 100_000;

    private final JdbcTemplate jdbc;
    private final Duration knownTtl;
    private final Duration unknownTtl;
    private final LongSupplier nanoTime;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<TokenLookup>> inFlight = new ConcurrentHashMap<>();

    @Autowired
    public TokenRegistry(JdbcTemplate jdbc, CaptureProperties properties) {
        this(jdbc, properties.tokens().knownTtl(), properties.tokens().unknownTtl(), System::nanoTime);
    }

    TokenRegistry(JdbcTemplate jdbc, Duration knownTtl, Duration unknownTtl, LongSupplier nanoTime) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc is null");
        this.knownTtl = knownTtl;
        this.unknownTtl = unknownTtl;
        this.nanoTime = nanoTime;
    }

    public TokenLookup lookup(String token) {
        long now = nanoTime.getAsLong();
        Entry cached = cache.get(token);
        if (cached != null && now < cached.expiresAt()) {
            return cached.lookup();
        }
        // One query per token at a time: a burst of requests for a token not cached yet (a cold start) waits for the
        // first one's answer instead of queueing for every connection of the small pool and timing out.
        CompletableFuture<TokenLookup> mine = new CompletableFuture<>();
        CompletableFuture<TokenLookup> running = inFlight.putIfAbsent(token, mine);
        if (running != null) {
            return running.join();
        }
        try {
            TokenLookup lookup = query(token, cached, now);
            mine.complete(lookup);
            return lookup;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(token, mine);
        }
    }

    private TokenLookup query(String token, Entry cached, long now) {
        try {
            List<Long> ids = jdbc.queryForList("SELECT id FROM team WHERE api_token = ?", Long.class, token);
            TokenLookup lookup = ids.isEmpty() ? new TokenLookup.Unknown() : new TokenLookup.Known(ids.getFirst());
            long ttl = (ids.isEmpty() ? unknownTtl : knownTtl).toNanos();
            if (cache.size() >= MAX_ENTRIES) {
                cache.clear();
            }
            cache.put(token, new Entry(lookup, now + ttl));
            return lookup;
        } catch (DataAccessException e) {
            if (cached != null && cached.lookup() instanceof TokenLookup.Known) {
                return cached.lookup();
            }
            return new TokenLookup.Unverified(e.getClass().getSimpleName());
        }
    }

    private record Entry(TokenLookup lookup, long expiresAt) {}
}
