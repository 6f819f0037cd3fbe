package dev.ingest.capture.token;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.ingest.capture.config.CaptureProperties;
import dev.ingest.capture.error.CaptureError;
import dev.ingest.capture.error.CaptureException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Project tokens from PostgreSQL through two bounded caches (Caffeine). A known token is trusted for a while, then
 * asked again; when PostgreSQL cannot answer, it keeps its last answer however old. An unknown token is remembered as
 * unknown for seconds, so a project created a moment ago is accepted almost at once. The two are kept apart so that a
 * flood of random tokens evicts only other unknown tokens, never a known one; and tokens never seen are looked up a
 * few at a time ({@code maxUnknownLookups}), so such a flood cannot take every pooled connection from the known
 * projects: past a short wait it is answered 503 (Retry-After) instead. A token never seen while PostgreSQL is down is
 * {@code Unverified}.
 */
@Component
public class TokenRegistry {
    static final int MAX_KNOWN = 100_000;
    static final int MAX_UNKNOWN = 100_000;
    static final int MAX_UNKNOWN_LOOKUPS = 2;
    private static final Duration UNKNOWN_LOOKUP_WAIT = Duration.ofSeconds(2);

    private final JdbcTemplate jdbc;
    private final Duration knownTtl;
    private final LongSupplier nanoTime;
    /** Known tokens and when they were last confirmed; never expired by time (they are the outage fallback). */
    private final Cache<String, Known> known;
    /** Tokens no project has, for {@code unknownTtl}. */
    private final Cache<String, Boolean> unknown;
    private final Semaphore unknownLookups = new Semaphore(MAX_UNKNOWN_LOOKUPS);
    private final Map<String, CompletableFuture<TokenLookup>> inFlight = new ConcurrentHashMap<>();

    @Autowired
    public TokenRegistry(JdbcTemplate jdbc, CaptureProperties properties) {
        this(jdbc, properties.tokens().knownTtl(), properties.tokens().unknownTtl(), System::nanoTime);
    }

    TokenRegistry(JdbcTemplate jdbc, Duration knownTtl, Duration unknownTtl, LongSupplier nanoTime) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc is null");
        this.knownTtl = knownTtl;
        this.nanoTime = nanoTime;
        Ticker ticker = nanoTime::getAsLong;
        this.known = Caffeine.newBuilder().maximumSize(MAX_KNOWN).ticker(ticker).build();
        this.unknown = Caffeine.newBuilder().maximumSize(MAX_UNKNOWN).expireAfterWrite(unknownTtl).ticker(ticker).build();
    }

    public TokenLookup lookup(String token) {
        long now = nanoTime.getAsLong();
        Known cached = known.getIfPresent(token);
        if (cached != null && now - cached.confirmedAt() < knownTtl.toNanos()) {
            return cached.lookup();
        }
        if (cached == null && unknown.getIfPresent(token) != null) {
            return new TokenLookup.Unknown();
        }
        // One query per token at a time: a burst of requests for a token not cached yet (a cold start) waits for the
        // first one's answer instead of queueing for every connection of the small pool and timing out.
        CompletableFuture<TokenLookup> mine = new CompletableFuture<>();
        CompletableFuture<TokenLookup> running = inFlight.putIfAbsent(token, mine);
        if (running != null) {
            return running.join();
        }
        try {
            TokenLookup lookup = cached != null ? query(token, cached) : queryNeverSeen(token);
            mine.complete(lookup);
            return lookup;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(token, mine);
        }
    }

    /** A token with no answer yet: one of a few such look-ups at a time. */
    private TokenLookup queryNeverSeen(String token) {
        boolean permitted;
        try {
            permitted = unknownLookups.tryAcquire(UNKNOWN_LOOKUP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            permitted = false;
        }
        if (!permitted) {
            throw new CaptureException(CaptureError.UNAVAILABLE, "overloaded",
                    "Too many project API keys are being checked at once. Please try again.", null);
        }
        try {
            return query(token, null);
        } finally {
            unknownLookups.release();
        }
    }

    private TokenLookup query(String token, Known cached) {
        try {
            List<Long> ids = jdbc.queryForList("SELECT id FROM team WHERE api_token = ?", Long.class, token);
            if (ids.isEmpty()) {
                known.invalidate(token);
                unknown.put(token, Boolean.TRUE);
                return new TokenLookup.Unknown();
            }
            TokenLookup.Known lookup = new TokenLookup.Known(ids.getFirst());
            known.put(token, new Known(lookup, nanoTime.getAsLong()));
            return lookup;
        } catch (DataAccessException e) {
            if (cached != null) {
                return cached.lookup();
            }
            return new TokenLookup.Unverified(e.getClass().getSimpleName());
        }
    }

    private record Known(TokenLookup.Known lookup, long confirmedAt) {}
}
