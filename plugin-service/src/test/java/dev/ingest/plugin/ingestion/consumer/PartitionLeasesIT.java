package dev.ingest.plugin.ingestion.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingest.common.json.Json;
import dev.ingest.plugin.group.GroupBatch;
import dev.ingest.plugin.group.GroupRepository;
import dev.ingest.plugin.ingestion.pipeline.PartitionLostException;
import dev.ingest.plugin.testing.MigratedDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The partition leases against a real PostgreSQL: takeover, fencing, and the order the share lock gives them. */
class PartitionLeasesIT {
    private static final long TEAM = 9;
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /** Threads of their own: the common pool may have one thread on two cores, and the holder blocks it. */
    private static final Executor THREADS = Executors.newVirtualThreadPerTaskExecutor();

    private static JdbcTemplate jdbc;
    private static TransactionTemplate transactions;

    @BeforeAll
    static void database() {
        DataSource dataSource = MigratedDatabase.create("partition_leases_it");
        jdbc = new JdbcTemplate(dataSource);
        transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        jdbc.update("INSERT INTO team (id, uuid, name, api_token) VALUES (?, ?, 'leases', ?)", TEAM, UUID.randomUUID(),
                "phc_partition_leases_it");
    }

    /** A partition of a topic of its own, so the tests share no lease. */
    private static TopicPartition partition() {
        return new TopicPartition("leases-" + UUID.randomUUID(), 0);
    }

    private static PartitionLeases instance(String name) {
        return new PartitionLeases(jdbc, transactions, name);
    }

    /** The group gives the partition to this instance, whose next batch of it takes it over. */
    private static PartitionLeases.Fence given(PartitionLeases leases, TopicPartition p) {
        leases.assigned(List.of(p));
        return leases.acquire(Set.of(p));
    }

    private static void checkInTransaction(PartitionLeases leases, PartitionLeases.Fence fence) {
        transactions.executeWithoutResult(status -> leases.check(fence));
    }

    @Test
    void theFirstBatchOfAPartitionTakesAnEpochAndLaterBatchesKeepIt() {
        TopicPartition p = partition();
        PartitionLeases leases = instance("a");

        PartitionLeases.Fence first = given(leases, p);
        PartitionLeases.Fence second = leases.acquire(Set.of(p));

        assertThat(first.epochs()).containsEntry(p, 1L);
        assertThat(second).isEqualTo(first);
        checkInTransaction(leases, second);
        assertThat(jdbc.queryForObject("SELECT owner FROM ingestion_partition_lease WHERE topic = ?", String.class, p.topic()))
                .isEqualTo("a");
    }

    @Test
    void aTakeoverFencesTheFormerOwnersBatch() {
        TopicPartition p = partition();
        PartitionLeases cutOff = instance("cut-off");
        PartitionLeases successor = instance("successor");
        PartitionLeases.Fence stale = given(cutOff, p);

        PartitionLeases.Fence current = given(successor, p);

        assertThat(current.epochs()).containsEntry(p, 2L);
        assertThatThrownBy(() -> checkInTransaction(cutOff, stale)).isInstanceOf(PartitionLostException.class)
                .satisfies(e -> assertThat(((PartitionLostException) e).partitions()).containsExactly(p));
        // Its retry of the batch must not take the partition back: only the group gives partitions.
        assertThatThrownBy(() -> cutOff.acquire(Set.of(p))).isInstanceOf(PartitionLostException.class);
        checkInTransaction(successor, current);
    }

    @Test
    void aFencedGroupUpsertWritesNothing() {
        TopicPartition p = partition();
        PartitionLeases cutOff = instance("cut-off");
        PartitionLeases.Fence stale = given(cutOff, p);
        given(instance("successor"), p);
        GroupRepository groups = new GroupRepository(jdbc);
        int company = groups.typeIndex(TEAM, "company").orElseThrow();
        String key = "fenced-" + UUID.randomUUID();
        GroupBatch batch = new GroupBatch(groups, transactions, () -> cutOff.check(stale));
        batch.upsert(TEAM, company, key, Json.object().put("plan", "stale"), Instant.parse("2026-01-01T00:00:00Z"));

        assertThatThrownBy(batch::flush).isInstanceOf(PartitionLostException.class);

        assertThat(jdbc.queryForObject("SELECT count(*) FROM team_group WHERE group_key = ?", Long.class, key)).isZero();
    }

    @Test
    void aPartitionTheGroupDidNotGiveIsNeverTakenOver() {
        TopicPartition owned = partition();
        TopicPartition gone = partition();
        PartitionLeases leases = instance("a");
        leases.assigned(List.of(owned));

        assertThatThrownBy(() -> leases.acquire(Set.of(owned, gone))).isInstanceOf(PartitionLostException.class)
                .satisfies(e -> assertThat(((PartitionLostException) e).partitions()).containsExactly(gone));

        assertThat(jdbc.queryForObject("SELECT count(*) FROM ingestion_partition_lease WHERE topic IN (?, ?)", Long.class,
                owned.topic(), gone.topic())).isZero();
    }

    @Test
    void aPartitionGivenAnewIsTakenOverAgainByItsNextBatch() {
        TopicPartition p = partition();
        PartitionLeases leases = instance("a");
        given(leases, p);

        leases.rebalanceListener().onPartitionsAssigned(null, List.of(p));

        assertThat(leases.acquire(Set.of(p)).epochs()).containsEntry(p, 2L);
    }

    @Test
    void aConsumerThatLearnsLateItLostAPartitionDoesNotUndoTheGrantOfAnotherConsumerOfTheProcess() throws Exception {
        TopicPartition p = partition();
        PartitionLeases process = instance("one process, two consumers");
        // Each consumer runs on a thread of its own: its rebalance callbacks and its batches alike.
        ExecutorService cutOff = Executors.newSingleThreadExecutor();
        ExecutorService successor = Executors.newSingleThreadExecutor();
        try {
            PartitionLeases.Fence stale = cutOff.submit(() -> given(process, p)).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            PartitionLeases.Fence current = successor.submit(() -> given(process, p)).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            cutOff.submit(() -> process.rebalanceListener().onPartitionsLost(null, List.of(p)))
                    .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

            assertThat(successor.submit(() -> process.acquire(Set.of(p))).get(DEADLINE.toSeconds(), TimeUnit.SECONDS))
                    .isEqualTo(current);
            assertThat(current.epochs()).containsEntry(p, stale.epochs().get(p) + 1);
        } finally {
            cutOff.shutdownNow();
            successor.shutdownNow();
        }
    }

    @Test
    void aTakeoverWaitsForTheTransactionsThatPassedTheCheckAndFencesTheRest() throws Exception {
        TopicPartition p = partition();
        PartitionLeases cutOff = instance("cut-off");
        PartitionLeases.Fence stale = given(cutOff, p);
        CountDownLatch checked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        String key = "held-" + UUID.randomUUID();
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> transactions.executeWithoutResult(status -> {
            cutOff.check(stale);
            checked.countDown();
            await(release);
            jdbc.update("INSERT INTO team_group (team_id, group_type_index, group_key, group_properties, created_at, version)"
                    + " VALUES (?, 0, ?, '{}', now(), 1)", TEAM, key);
        }), THREADS);
        assertThat(checked.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).isTrue();

        CompletableFuture<PartitionLeases.Fence> takeover = CompletableFuture.supplyAsync(
                () -> given(instance("successor"), p), THREADS);
        awaitWaitingOnALock(takeover);
        release.countDown();

        assertThat(takeover.get(DEADLINE.toSeconds(), TimeUnit.SECONDS).epochs()).containsEntry(p, 2L);
        holder.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM team_group WHERE group_key = ?", Long.class, key)).isOne();
        assertThatThrownBy(() -> checkInTransaction(cutOff, stale)).isInstanceOf(PartitionLostException.class);
    }

    /** Waits until the takeover waits on a lock in PostgreSQL; fails if it finished instead. */
    private static void awaitWaitingOnALock(CompletableFuture<?> takeover) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (takeover.isDone()) {
                throw new AssertionError("the takeover did not wait for the transaction that passed the check: "
                        + takeover.handle((done, error) -> error == null ? "it took " + done : error.toString()).get());
            }
            Integer waiting = jdbc.queryForObject("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    + " AND query LIKE '%INSERT INTO ingestion_partition_lease%'", Integer.class);
            if (waiting != null && waiting > 0) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the takeover neither waited on a lock nor finished");
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
