package dev.ingest.common.cookieless;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The daily salts of cookieless identities, in PostgreSQL's {@code cookieless_salt} (PostHog keeps them in Redis,
 * {@code cookieless_salt:YYYY-MM-DD}): 16 random bytes per day, created on first use by whichever process needs it
 * first (insert-if-absent, then read, so every process hashes a day with the same salt), cached in memory, and
 * deleted {@link #RETENTION} after their day began so a day's hashes can never be recomputed later.
 */
public final class CookielessSalts {
    /** PostHog's salt lifetime: the 72 hours an event may lag, plus the day itself. */
    public static final Duration RETENTION = Duration.ofHours(96);
    private static final Duration EARLIEST = Duration.ofHours(12);
    private static final Duration LATEST = Duration.ofHours(86);
    private static final Duration PURGE_EVERY = Duration.ofHours(1);

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<LocalDate, byte[]> cache = new ConcurrentHashMap<>();
    private volatile Instant nextPurge = Instant.MIN;

    public CookielessSalts(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc is null");
        this.clock = clock;
    }

    /**
     * Whether events of {@code day} are still hashed at {@code now}: from 12 hours before the day begins in UTC to
     * 86 hours after (PostHog's window: a day in any time zone, plus three days of lag).
     */
    public static boolean accepts(LocalDate day, Instant now) {
        Instant start = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        return !now.isBefore(start.minus(EARLIEST)) && now.isBefore(start.plus(LATEST));
    }

    /** The salt of {@code day}, created if it has none; throws what PostgreSQL throws. */
    public byte[] forDay(LocalDate day) {
        purgeIfDue();
        byte[] cached = cache.get(day);
        if (cached != null) {
            return cached;
        }
        byte[] fresh = new byte[16];
        random.nextBytes(fresh);
        jdbc.update("INSERT INTO cookieless_salt (day, salt) VALUES (?, ?) ON CONFLICT (day) DO NOTHING", day, fresh);
        List<byte[]> stored = jdbc.query("SELECT salt FROM cookieless_salt WHERE day = ?", (rs, n) -> rs.getBytes(1), day);
        if (stored.isEmpty()) {
            throw new IllegalStateException("the cookieless salt of " + day + " was deleted while it was created");
        }
        cache.put(day, stored.getFirst());
        return stored.getFirst();
    }

    /** Deletes the salts past their retention, here and in PostgreSQL (at most once an hour). */
    void purgeIfDue() {
        Instant now = clock.instant();
        if (now.isBefore(nextPurge)) {
            return;
        }
        nextPurge = now.plus(PURGE_EVERY);
        LocalDate cutoff = LocalDate.ofInstant(now.minus(RETENTION), ZoneOffset.UTC);
        cache.keySet().removeIf(day -> day.isBefore(cutoff));
        jdbc.update("DELETE FROM cookieless_salt WHERE day < ?", cutoff);
    }
}
