package dev.ingest.capture.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;

class TokenRegistryTest {
    /** A database that answers team 7 for every token once released (none for "phc_rnd_" ones), counting queries. */
    private static final class SlowDatabase extends JdbcTemplate {
        final AtomicInteger queries = new AtomicInteger();
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean down;

        @Override
        @SuppressWarnings("unchecked")
        public <T> List<T> queryForList(String sql, Class<T> elementType, Object... args) {
            queries.incrementAndGet();
            if (down) {
                throw new DataAccessResourceFailureException("connection refused");
            }
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return args[0].toString().startsWith("phc_rnd_") ? List.of() : (List<T>) List.of(7L);
        }
    }

    private final SlowDatabase database = new SlowDatabase();
    private final TokenRegistry registry = new TokenRegistry(database, Duration.ofMinutes(5), Duration.ofSeconds(2),
            System::nanoTime);

    @Test
    void aBurstOfLookupsForAnUncachedTokenMakesOneQuery() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<TokenLookup>> lookups = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                lookups.add(threads.submit(() -> registry.lookup("phc_burst")));
            }
            Thread.sleep(200);
            database.release.countDown();
            for (Future<TokenLookup> lookup : lookups) {
                assertThat(lookup.get(10, TimeUnit.SECONDS)).isEqualTo(new TokenLookup.Known(7L));
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(database.queries.get()).isEqualTo(1);
        assertThat(registry.lookup("phc_burst")).isEqualTo(new TokenLookup.Known(7L));
        assertThat(database.queries.get()).isEqualTo(1);
    }

    @Test
    void aFloodOfRandomUnknownTokensNeitherEvictsKnownOnesNorAsksForAnyTwiceWithinTheTtl() {
        database.release.countDown();
        assertThat(registry.lookup("phc_known")).isEqualTo(new TokenLookup.Known(7L));
        int flood = TokenRegistry.MAX_UNKNOWN + 20_000;
        for (int i = 0; i < flood; i++) {
            assertThat(registry.lookup("phc_rnd_" + i)).isInstanceOf(TokenLookup.Unknown.class);
        }
        assertThat(database.queries.get()).isEqualTo(1 + flood);
        // The known token is answered from its cache, and a recent unknown one too: no query for either.
        database.down = true;
        assertThat(registry.lookup("phc_known")).isEqualTo(new TokenLookup.Known(7L));
        assertThat(registry.lookup("phc_rnd_" + (flood - 1))).isInstanceOf(TokenLookup.Unknown.class);
        assertThat(database.queries.get()).isEqualTo(1 + flood);
    }

    @Test
    void aKnownTokenPastItsTtlKeepsItsAnswerWhileTheDatabaseIsDown() {
        AtomicLong now = new AtomicLong();
        TokenRegistry clocked = new TokenRegistry(database, Duration.ofMinutes(5), Duration.ofSeconds(2), now::get);
        database.release.countDown();
        assertThat(clocked.lookup("phc_known")).isEqualTo(new TokenLookup.Known(7L));
        now.addAndGet(Duration.ofMinutes(6).toNanos());
        database.down = true;
        assertThat(clocked.lookup("phc_known")).isEqualTo(new TokenLookup.Known(7L));
        assertThat(database.queries.get()).isEqualTo(2);
    }

    @Test
    void aTokenNeverSeenIsUnverifiedWhileTheDatabaseIsDownAndAskedAgainLater() {
        database.down = true;
        assertThat(registry.lookup("phc_new")).isInstanceOf(TokenLookup.Unverified.class);
        database.down = false;
        database.release.countDown();
        assertThat(registry.lookup("phc_new")).isEqualTo(new TokenLookup.Known(7L));
    }
}
