package dev.ingest.plugin.ingestion.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;

class DependencyErrorsTest {
    private static RuntimeException wrapped(Throwable cause) {
        return new IllegalStateException("outer", new RuntimeException("middle", cause));
    }

    @ParameterizedTest
    @ValueSource(strings = {"08006", "08001", "08003", "40001", "40P01", "53300", "57P01", "58030"})
    void sqlStatesOfUnavailableDependenciesAreRetryableAnywhereInTheCauseChain(String sqlState) {
        SQLException sql = new SQLException("database trouble", sqlState);

        assertThat(DependencyErrors.isRetryable(sql)).isTrue();
        assertThat(DependencyErrors.isRetryable(wrapped(sql))).isTrue();
        assertThat(DependencyErrors.isRetryable(new DataAccessResourceFailureException("translated", sql))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"23505", "23502", "22P02", "22001", "42P01", "0", ""})
    void sqlStatesOfBadDataAreNotRetryable(String sqlState) {
        assertThat(DependencyErrors.isRetryable(wrapped(new SQLException("bad row", sqlState)))).isFalse();
    }

    @Test
    void sqlExceptionWithoutStateIsNotRetryable() {
        assertThat(DependencyErrors.isRetryable(new SQLException("no state"))).isFalse();
    }

    static Stream<Throwable> retryableTypes() {
        return Stream.of(
                new TransientDataAccessResourceException("pool exhausted"),
                new CannotCreateTransactionException("no connection"),
                new SQLTransientConnectionException("timeout"),
                new SQLRecoverableException("connection reset"),
                new NotLeaderOrFollowerException("leader moved"),
                new TimeoutException("kafka slow"),
                new ConnectException("refused"),
                new RetryableException("already classified", null));
    }

    @ParameterizedTest
    @MethodSource("retryableTypes")
    void dependencyExceptionTypesAreRetryableAnywhereInTheCauseChain(Throwable error) {
        assertThat(DependencyErrors.isRetryable(error)).isTrue();
        assertThat(DependencyErrors.isRetryable(wrapped(error))).isTrue();
    }

    static Stream<Throwable> eventProblems() {
        return Stream.of(
                new IllegalStateException("bug"),
                new NullPointerException(),
                new IllegalArgumentException("bad input", new NumberFormatException("x")),
                new DataIntegrityViolationException("duplicate key", new SQLException("dup", "23505")));
    }

    @ParameterizedTest
    @MethodSource("eventProblems")
    void problemsOfTheEventItselfAreNotRetryable(Throwable error) {
        assertThat(DependencyErrors.isRetryable(error)).isFalse();
    }

    @Test
    void partitionsTakenOverEndTheBatchWithoutBeingRetryable() {
        PartitionLostException lost = new PartitionLostException("taken over",
                Set.of(new TopicPartition("events_plugin_ingestion", 0)));
        RuntimeException wrapped = new RuntimeException("in a transaction", lost);

        assertThat(DependencyErrors.lostPartitions(wrapped)).isSameAs(lost);
        assertThat(DependencyErrors.endsBatch(wrapped)).isTrue();
        assertThat(DependencyErrors.isRetryable(wrapped)).isFalse();
        assertThat(DependencyErrors.lostPartitions(new RuntimeException("other"))).isNull();
    }

    @Test
    void nullIsNotRetryable() {
        assertThat(DependencyErrors.isRetryable(null)).isFalse();
    }

    @Test
    void cyclicCauseChainEndsTheWalk() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second);

        boolean retryable = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> DependencyErrors.isRetryable(second));

        assertThat(retryable).isFalse();
    }

    @Test
    void cyclicCauseChainStillFindsARetryableCause() {
        RuntimeException first = new RuntimeException("first");
        SQLException connection = new SQLException("connection lost", "08006", first);
        first.initCause(new RuntimeException("middle", connection));

        boolean retryable = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> DependencyErrors.isRetryable(first));

        assertThat(retryable).isTrue();
    }
}
