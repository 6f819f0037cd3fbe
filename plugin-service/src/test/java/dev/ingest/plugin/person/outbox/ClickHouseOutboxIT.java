package dev.ingest.plugin.person.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingest.common.json.Json;
import dev.ingest.common.kafka.OutgoingRecord;
import dev.ingest.common.kafka.RecordSink;
import dev.ingest.common.kafka.Topics;
import dev.ingest.plugin.group.GroupBatch;
import dev.ingest.plugin.group.GroupRepository;
import dev.ingest.plugin.ingestion.consumer.BatchProcessor;
import dev.ingest.plugin.ingestion.consumer.PartitionLeases;
import dev.ingest.plugin.ingestion.pipeline.BatchScope;
import dev.ingest.plugin.ingestion.pipeline.EventContext;
import dev.ingest.plugin.ingestion.pipeline.EventPipeline;
import dev.ingest.plugin.ingestion.pipeline.RetryableException;
import dev.ingest.plugin.ingestion.step.ParseMessageStep;
import dev.ingest.plugin.ingestion.step.ParseTimestampStep;
import dev.ingest.plugin.ingestion.step.PrefetchPersonsStep;
import dev.ingest.plugin.ingestion.step.ProcessPersonStep;
import dev.ingest.plugin.ingestion.step.ResolveTeamStep;
import dev.ingest.plugin.ingestion.team.TeamRepository;
import dev.ingest.plugin.ingestion.warning.IngestionWarnings;
import dev.ingest.plugin.person.BatchPersonStore;
import dev.ingest.plugin.person.JdbcPersonRepository;
import dev.ingest.plugin.person.Person;
import dev.ingest.plugin.person.PersonProcessor;
import dev.ingest.plugin.testing.Events;
import dev.ingest.plugin.testing.MigratedDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The ClickHouse outbox on real PostgreSQL (issue 4): a batch whose person transaction committed but whose records
 * Kafka never acknowledged must not lose the person and distinct-id rows, even though its retry finds PostgreSQL
 * changed already and produces nothing for them.
 */
class ClickHouseOutboxIT {
    private static final Duration NO_GRACE = Duration.ZERO;

    private static JdbcTemplate jdbc;
    private static TransactionTemplate transactions;
    private static ClickHouseOutbox outbox;
    private static JdbcPersonRepository persons;
    private static PersonProcessor processor;
    private static EventPipeline pipeline;

    private final RecordingSink sink = new RecordingSink();
    private final PartitionLeases leases = new PartitionLeases(jdbc, transactions, "ClickHouseOutboxIT");
    private long offset;

    @BeforeAll
    static void database() {
        DataSource dataSource = MigratedDatabase.create("outbox_it");
        jdbc = new JdbcTemplate(dataSource);
        transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        outbox = new ClickHouseOutbox(jdbc);
        persons = new JdbcPersonRepository(jdbc);
        processor = new PersonProcessor();
        jdbc.update("INSERT INTO team (id, uuid, name, api_token) VALUES (?, ?, 'outbox', ?)", Events.TEAM_ID,
                UUID.randomUUID(), Events.TOKEN);
        Clock clock = Clock.systemUTC();
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        IngestionWarnings warnings = new IngestionWarnings(clock, metrics);
        pipeline = new EventPipeline(List.of(new ParseMessageStep(), new ResolveTeamStep(new TeamRepository(jdbc)),
                new ParseTimestampStep(clock, warnings), new PrefetchPersonsStep(), new ProcessPersonStep(processor, warnings)),
                "events_plugin_ingestion_dlq", clock, metrics);
    }

    @BeforeEach
    void emptyOutbox() {
        jdbc.update("DELETE FROM clickhouse_outbox");
    }

    @Test
    void aTransactionsRecordsRoundTripAsOneRowOnlyLockedOnceOlderThanTheGrace() {
        OutgoingRecord withHeaders = new OutgoingRecord("clickhouse_person", "k1", new byte[] {0, 1, (byte) 0xff},
                Map.of("h", "v", "ünï", "cödé"));
        OutgoingRecord withoutKey = new OutgoingRecord("clickhouse_groups", null, "{}".getBytes(StandardCharsets.UTF_8));
        List<Long> ids;
        ids = transactions.execute(status -> outbox.append(List.of(withHeaders, withoutKey)));

        List<ClickHouseOutbox.Entry> young = transactions.execute(status -> outbox.lockOlderThan(Duration.ofHours(1), 10));
        List<ClickHouseOutbox.Entry> old = transactions.execute(status -> outbox.lockOlderThan(NO_GRACE, 10));

        assertThat(ids).hasSize(1);
        assertThat(young).isEmpty();
        assertThat(old).singleElement().satisfies(entry -> {
            assertThat(entry.id()).isEqualTo(ids.getFirst());
            assertThat(entry.records()).hasSize(2);
            OutgoingRecord first = entry.records().get(0);
            assertThat(first.topic()).isEqualTo("clickhouse_person");
            assertThat(first.key()).isEqualTo("k1");
            assertThat(first.value()).containsExactly(0, 1, 0xff);
            assertThat(first.headers()).isEqualTo(Map.of("h", "v", "ünï", "cödé"));
            assertThat(entry.records().get(1).topic()).isEqualTo("clickhouse_groups");
            assertThat(entry.records().get(1).key()).isNull();
            assertThat(entry.records().get(1).headers()).isEmpty();
        });
        assertThat(outbox.delete(ids)).isEqualTo(1);
        assertThat(outbox.size()).isZero();
    }

    @Test
    void aRowWrittenBeforeTheBatchFormatIsStillProduced() {
        jdbc.update("INSERT INTO clickhouse_outbox (topic, key, payload, headers, created_at)"
                + " VALUES ('clickhouse_person', 'legacy', ?, '{\"h\":\"v\"}'::jsonb, now() - interval '1 hour')",
                (Object) new byte[] {7});

        assertThat(sweeper().sweep()).isEqualTo(1);

        assertThat(sink.sent).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("legacy");
            assertThat(record.value()).containsExactly(7);
            assertThat(record.headers()).isEqualTo(Map.of("h", "v"));
        });
        assertThat(outbox.size()).isZero();
    }

    @Test
    void aRolledBackTransactionLeavesNothingInTheOutbox() {
        assertThatThrownBy(() -> transactions.execute(status -> {
            outbox.append(List.of(new OutgoingRecord("clickhouse_person", "k", new byte[] {1})));
            throw new IllegalStateException("write refused");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(outbox.size()).isZero();
    }

    @Test
    void aDeliveredBatchDeletesItsOutboxRows() {
        String distinctId = "delivered-" + UUID.randomUUID();

        process(batchProcessor(), List.of(record(Events.event("$pageview").distinctId(distinctId))));

        assertThat(rows(Topics.CLICKHOUSE_PERSON_DISTINCT_ID, distinctId)).hasSize(1);
        assertThat(outbox.size()).isZero();
        assertThat(sweeper().sweep()).isZero();
    }

    @Test
    void aPersonCreatedByABatchKafkaNeverAcknowledgedReachesClickHouseThroughTheSweeper() {
        String distinctId = "created-" + UUID.randomUUID();
        List<ConsumerRecord<String, byte[]>> batch = List.of(record(Events.event("$pageview").distinctId(distinctId)));
        BatchProcessor batches = batchProcessor();
        sink.failures = 1;

        assertThatThrownBy(() -> process(batches, batch)).isInstanceOf(RetryableException.class);
        process(batches, batch);

        // The bug: the retry finds the person and sends its row again, but never the distinct id row.
        assertThat(rows(Topics.CLICKHOUSE_PERSON_DISTINCT_ID, distinctId)).isEmpty();

        assertThat(sweeper().sweep()).isEqualTo(2);

        Person person = persons.find(Events.TEAM_ID, distinctId).orElseThrow();
        assertThat(rows(Topics.CLICKHOUSE_PERSON_DISTINCT_ID, distinctId)).singleElement()
                .satisfies(row -> assertThat(row.get("person_id").asString()).isEqualTo(person.uuid().toString()));
        assertThat(outbox.size()).isZero();
    }

    @Test
    void aMergeCommittedByABatchKafkaNeverAcknowledgedReachesClickHouseThroughTheSweeper() {
        String anonymous = "anon-" + UUID.randomUUID();
        String user = "user-" + UUID.randomUUID();
        BatchProcessor batches = batchProcessor();
        process(batches, List.of(record(Events.event("$pageview").distinctId(anonymous)),
                record(Events.event("$pageview").distinctId(user))));
        Person source = persons.find(Events.TEAM_ID, anonymous).orElseThrow();
        Person target = persons.find(Events.TEAM_ID, user).orElseThrow();
        sink.sent.clear();
        List<ConsumerRecord<String, byte[]>> identify = List.of(record(Events.event("$identify").distinctId(user)
                .properties("{'$anon_distinct_id': '" + anonymous + "'}")));
        sink.failures = 1;

        assertThatThrownBy(() -> process(batches, identify)).isInstanceOf(RetryableException.class);
        process(batches, identify);

        // The bug: the retry sees both ids on one person and emits nothing for the moved distinct id.
        assertThat(rows(Topics.CLICKHOUSE_PERSON_DISTINCT_ID, anonymous)).isEmpty();

        assertThat(sweeper().sweep()).isPositive();

        assertThat(rows(Topics.CLICKHOUSE_PERSON_DISTINCT_ID, anonymous)).singleElement().satisfies(row -> {
            assertThat(row.get("person_id").asString()).isEqualTo(target.uuid().toString());
            assertThat(row.get("version").asLong()).isEqualTo(1);
        });
        assertThat(sink.rowsOf(Topics.CLICKHOUSE_PERSON)).anySatisfy(row -> {
            assertThat(row.get("id").asString()).isEqualTo(source.uuid().toString());
            assertThat(row.get("is_deleted").asInt()).isEqualTo(1);
        });
        assertThat(outbox.size()).isZero();
    }

    @Test
    void aSweepKafkaDoesNotAcknowledgeKeepsTheRows() {
        transactions.execute(status -> outbox.append(List.of(new OutgoingRecord("clickhouse_person", "k", new byte[] {1}))));
        sink.failures = 1;

        assertThatThrownBy(() -> sweeper().sweep()).isInstanceOf(IllegalStateException.class);

        assertThat(outbox.size()).isEqualTo(1);
        assertThat(sweeper().sweep()).isEqualTo(1);
        assertThat(outbox.size()).isZero();
    }

    @Test
    void aSweepWorksThroughEveryChunk() {
        for (int i = 0; i < 5; i++) {
            OutgoingRecord record = new OutgoingRecord("clickhouse_person", "k" + i, new byte[] {(byte) i});
            transactions.execute(status -> outbox.append(List.of(record, record)));
        }
        OutboxSweeper sweeper = new OutboxSweeper(outbox, transactions, sink,
                new OutboxSweeper.Settings(NO_GRACE, 2, Duration.ofSeconds(10), Duration.ofSeconds(5)), new SimpleMeterRegistry());

        assertThat(sweeper.sweep()).isEqualTo(10);

        assertThat(sink.sent).extracting(OutgoingRecord::key).containsExactly("k0", "k0", "k1", "k1", "k2", "k2", "k3", "k3",
                "k4", "k4");
        assertThat(outbox.size()).isZero();
    }

    @Test
    void aGroupUpsertNeedsNoOutboxBecauseAReplayUpsertsAgain() {
        GroupRepository groups = new GroupRepository(jdbc);
        int index = groups.typeIndex(Events.TEAM_ID, "company").orElseThrow();
        String key = "acme-" + UUID.randomUUID();

        GroupRepository.Group first = groups.upsert(Events.TEAM_ID, index, key, Json.object().put("plan", "pro"),
                Instant.parse("2026-01-01T00:00:00Z"));
        GroupRepository.Group replayed = groups.upsert(Events.TEAM_ID, index, key, Json.object().put("plan", "pro"),
                Instant.parse("2026-01-01T00:00:00Z"));

        assertThat(replayed.version()).isGreaterThan(first.version());
        assertThat(replayed.properties()).isEqualTo(first.properties());
        assertThat(sweeper().sweep()).isZero();
    }

    private BatchProcessor batchProcessor() {
        return new BatchProcessor(pipeline, sink, Duration.ofSeconds(5),
                fence -> new BatchScope(new BatchPersonStore(persons, transactions, outbox, fence),
                        new GroupBatch(new GroupRepository(jdbc), transactions, fence), processor, (request, warning) -> {
                            throw new AssertionError(warning.toString());
                        }), outbox, leases);
    }

    /** One poll batch of a consumer the group gave the batch's partitions. */
    private void process(BatchProcessor batches, List<ConsumerRecord<String, byte[]>> batch) {
        leases.assigned(batch.stream().map(r -> new TopicPartition(r.topic(), r.partition())).collect(Collectors.toSet()));
        batches.process(batch);
    }

    private OutboxSweeper sweeper() {
        return new OutboxSweeper(outbox, transactions, sink,
                new OutboxSweeper.Settings(NO_GRACE, 1000, Duration.ofSeconds(10), Duration.ofSeconds(5)), new SimpleMeterRegistry());
    }

    private ConsumerRecord<String, byte[]> record(Events.Builder event) {
        EventContext.Source source = event.uuid(UUID.randomUUID().toString()).source();
        return new ConsumerRecord<>(source.topic(), 0, offset++, source.key(), source.value());
    }

    private List<JsonNode> rows(String topic, String distinctId) {
        return sink.rowsOf(topic).stream().filter(row -> distinctId.equals(row.path("distinct_id").asString(""))).toList();
    }

    /** A RecordSink that fails the next {@code failures} sends (Kafka did not acknowledge) and records the rest. */
    private static final class RecordingSink implements RecordSink {
        private final List<OutgoingRecord> sent = new CopyOnWriteArrayList<>();
        private int failures;

        @Override
        public CompletableFuture<Void> send(List<OutgoingRecord> records) {
            if (failures > 0) {
                failures--;
                return CompletableFuture.failedFuture(new IllegalStateException("broker unavailable"));
            }
            sent.addAll(records);
            return CompletableFuture.completedFuture(null);
        }

        List<JsonNode> rowsOf(String topic) {
            return sent.stream().filter(record -> record.topic().equals(topic))
                    .map(record -> Json.read(new String(record.value(), StandardCharsets.UTF_8))).toList();
        }
    }
}
