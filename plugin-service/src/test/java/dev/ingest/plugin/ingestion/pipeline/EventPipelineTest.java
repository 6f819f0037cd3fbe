package dev.ingest.plugin.ingestion.pipeline;

import static dev.ingest.plugin.testing.Events.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingest.common.kafka.OutgoingRecord;
import dev.ingest.common.kafka.Topics;
import dev.ingest.plugin.ingestion.kafka.ClickHouseRows;
import dev.ingest.plugin.testing.Events;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessResourceException;

/** How a message's outcome becomes records: the row, the effects, the dead-letter topic, or a retry. */
class EventPipelineTest {
    private static final String DLQ = Topics.EVENTS_PLUGIN_INGESTION_DLQ;
    private static final Instant NOW = Instant.parse("2020-08-12T01:02:00Z");

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final List<PipelineStage> ran = new ArrayList<>();
    private final Events.Builder message = event("$pageview").header("kafka-header", "kept");
    private final OutgoingRecord warning = ClickHouseRows.warning(2, "some_warning", "{}", NOW);
    private final OutgoingRecord row = new OutgoingRecord(Topics.CLICKHOUSE_EVENTS_JSON, Events.EVENT_UUID,
            "{}".getBytes(StandardCharsets.UTF_8));

    /** A step that records that it ran, then does {@code action}. */
    private PipelineStep step(PipelineStage stage, Function<EventContext, StepResult<EventContext>> action) {
        return new PipelineStep() {
            @Override
            public PipelineStage stage() {
                return stage;
            }

            @Override
            public StepResult<EventContext> apply(EventContext context) {
                ran.add(stage);
                return action.apply(context);
            }
        };
    }

    private PipelineStep parse() {
        return step(PipelineStage.PARSE_MESSAGE, context -> {
            EventContext full = message.build();
            return StepResult.ok(context.withCaptured(full.captured(), full.data()).withTeam(full.team()));
        });
    }

    private PipelineStep warn(PipelineStage stage) {
        return step(stage, context -> {
            context.addEffect(warning);
            return StepResult.ok(context);
        });
    }

    private PipelineStep emitRow() {
        return step(PipelineStage.PREPARE_EVENT, context -> StepResult.ok(context.withRow(row)));
    }

    private PipelineStep failing(PipelineStage stage, RuntimeException error) {
        return step(stage, context -> {
            throw error;
        });
    }

    private List<OutgoingRecord> run(PipelineStep... steps) {
        return new EventPipeline(List.of(steps), DLQ, Clock.fixed(NOW, ZoneOffset.UTC), metrics).run(message.source(), null);
    }

    private double counter(String name, String... tags) {
        return metrics.counter(name, tags).count();
    }

    @Test
    void successfulEventGivesItsEffectsThenItsRow() {
        List<OutgoingRecord> records = run(parse(), warn(PipelineStage.PROCESS_PERSON), emitRow());

        assertThat(records).containsExactly(warning, row);
        assertThat(ran).containsExactly(PipelineStage.PARSE_MESSAGE, PipelineStage.PROCESS_PERSON, PipelineStage.PREPARE_EVENT);
        assertThat(counter("ingest_plugin_events_processed_total")).isEqualTo(1);
    }

    @Test
    void eventWithoutRowGivesOnlyItsEffects() {
        assertThat(run(parse(), warn(PipelineStage.PROCESS_PERSON))).containsExactly(warning);
    }

    @Test
    void stepThrowingAnOrdinaryExceptionSendsTheOriginalMessageToTheDeadLetterTopic() {
        List<OutgoingRecord> records = run(parse(), warn(PipelineStage.VALIDATE_EVENT),
                failing(PipelineStage.PROCESS_PERSON, new IllegalStateException("person table is weird")), emitRow());

        assertThat(records).hasSize(3);
        assertThat(records.getFirst()).isEqualTo(warning);
        OutgoingRecord dead = records.get(1);
        OutgoingRecord row = records.get(2);
        assertThat(row.topic()).isEqualTo(Topics.EVENTS_DEAD_LETTER_QUEUE);
        assertThat(new String(row.value(), StandardCharsets.UTF_8)).contains("\"error_location\":\"process_person\"")
                .contains("person table is weird");
        assertThat(dead.topic()).isEqualTo(DLQ);
        assertThat(dead.key()).isEqualTo(message.source().key());
        assertThat(dead.value()).isEqualTo(message.source().value());
        assertThat(dead.headers())
                .containsEntry("kafka-header", "kept")
                .containsEntry("dlq-step", "process_person")
                .containsEntry("dlq-reason", "step_error")
                .containsEntry("dlq-error", "java.lang.IllegalStateException: person table is weird")
                .containsEntry("dlq-timestamp", NOW.toString())
                .containsEntry("dlq-source", Events.SOURCE_TOPIC + "/0@42");
        assertThat(ran).doesNotContain(PipelineStage.PREPARE_EVENT);
        assertThat(counter("ingest_plugin_events_dead_lettered_total", "step", "process_person", "cause", "step_error"))
                .isEqualTo(1);
        assertThat(counter("ingest_plugin_events_processed_total")).isZero();
    }

    @Test
    void dataErrorFromTheDatabaseIsDeadLetteredNotRetried() {
        RuntimeException error = new RuntimeException("insert failed", new SQLException("duplicate key", "23505"));

        List<OutgoingRecord> records = run(parse(), failing(PipelineStage.PROCESS_PERSON, error));

        assertThat(records).extracting(OutgoingRecord::topic).containsExactly(DLQ, Topics.EVENTS_DEAD_LETTER_QUEUE);
        assertThat(records.getFirst()).satisfies(record -> {
            assertThat(record.topic()).isEqualTo(DLQ);
            assertThat(record.headers()).containsEntry("dlq-step", "process_person").containsEntry("dlq-reason", "step_error");
        });
    }

    @Test
    void stepAskingForTheDeadLetterTopicGivesItsReason() {
        List<OutgoingRecord> records = run(
                step(PipelineStage.PARSE_MESSAGE, context -> StepResult.deadLetter("unparseable_message", null)));

        assertThat(records).extracting(OutgoingRecord::topic).containsExactly(DLQ, Topics.EVENTS_DEAD_LETTER_QUEUE);
        assertThat(records.getFirst()).satisfies(record -> {
            assertThat(record.topic()).isEqualTo(DLQ);
            assertThat(record.value()).isEqualTo(message.source().value());
            assertThat(record.headers()).containsEntry("dlq-step", "parse_message")
                    .containsEntry("dlq-reason", "unparseable_message").containsEntry("dlq-error", "");
        });
    }

    @Test
    void longErrorMessagesAreCutTo1000Bytes() {
        List<OutgoingRecord> records = run(parse(), failing(PipelineStage.PROCESS_PERSON,
                new IllegalStateException("\u00e9".repeat(600))));

        String error = records.stream().filter(r -> r.topic().equals(DLQ)).findFirst().orElseThrow().headers().get("dlq-error");
        assertThat(error.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1000);
        assertThat(error).startsWith("java.lang.IllegalStateException: \u00e9");
    }

    @Test
    void connectionFailureInTheCauseChainIsRetriedNotDeadLettered() {
        RuntimeException error = new DataAccessResourceFailureException("could not get connection",
                new SQLException("An I/O error occurred while sending to the backend.", "08006"));

        assertThatThrownBy(() -> run(parse(), failing(PipelineStage.PROCESS_PERSON, error), emitRow()))
                .isInstanceOf(RetryableException.class)
                .hasMessageContaining("process_person")
                .hasCause(error);
        assertThat(ran).doesNotContain(PipelineStage.PREPARE_EVENT);
    }

    @Test
    void transientDataAccessResourceExceptionIsRetried() {
        RuntimeException error = new TransientDataAccessResourceException("pool exhausted");

        assertThatThrownBy(() -> run(parse(), failing(PipelineStage.RESOLVE_TEAM, error)))
                .isInstanceOf(RetryableException.class)
                .hasCause(error);
    }

    @Test
    void retryableExceptionFromAStepPropagatesAsItIs() {
        RetryableException error = new RetryableException("kafka down", null);

        assertThatThrownBy(() -> run(parse(), failing(PipelineStage.PROCESS_PERSON, error))).isSameAs(error);
    }

    @Test
    void partitionsTakenOverEndTheBatchInsteadOfDeadLetteringTheEvent() {
        PartitionLostException lost = new PartitionLostException("taken over",
                Set.of(new TopicPartition("events_plugin_ingestion", 3)));
        RuntimeException wrapped = new IllegalStateException("merge failed", lost);

        assertThatThrownBy(() -> run(parse(), failing(PipelineStage.PROCESS_PERSON, wrapped), emitRow())).isSameAs(lost);
        assertThat(ran).doesNotContain(PipelineStage.PREPARE_EVENT);
    }

    @Test
    void droppedEventKeepsItsEffectsButHasNoRow() {
        List<OutgoingRecord> records = run(parse(),
                step(PipelineStage.VALIDATE_EVENT, context -> {
                    context.addEffect(warning);
                    return StepResult.drop("invalid_uuid");
                }),
                emitRow());

        assertThat(records).containsExactly(warning);
        assertThat(ran).doesNotContain(PipelineStage.PREPARE_EVENT);
        assertThat(counter("ingest_plugin_events_dropped_total", "step", "validate_event", "cause", "invalid_uuid"))
                .isEqualTo(1);
    }

    @Test
    void effectsOfEarlierStepsSurviveALaterDrop() {
        List<OutgoingRecord> records = run(parse(), warn(PipelineStage.VALIDATE_EVENT),
                step(PipelineStage.PROCESS_PERSON, context -> StepResult.drop("personless")), emitRow());

        assertThat(records).containsExactly(warning);
    }

    @Test
    void eachRunStartsWithNoEffects() {
        EventPipeline pipeline = new EventPipeline(List.of(parse(), warn(PipelineStage.PROCESS_PERSON), emitRow()), DLQ,
                Clock.fixed(NOW, ZoneOffset.UTC), metrics);

        pipeline.run(message.source(), null);

        assertThat(pipeline.run(message.source(), null)).containsExactly(warning, row);
    }

    @Test
    void outputTopicsIncludeTheDeadLetterTopicAndEveryClickHouseTopic() {
        assertThat(EventPipeline.outputTopics(DLQ)).containsExactlyInAnyOrder(DLQ, Topics.EVENTS_DEAD_LETTER_QUEUE,
                Topics.CLICKHOUSE_EVENTS_JSON,
                Topics.CLICKHOUSE_PERSON, Topics.CLICKHOUSE_PERSON_DISTINCT_ID, Topics.CLICKHOUSE_PERSON_DISTINCT_ID_OVERRIDES,
                Topics.CLICKHOUSE_INGESTION_WARNINGS,
                Topics.CLICKHOUSE_GROUPS, Topics.CLICKHOUSE_HEATMAP_EVENTS);
    }

    @Test
    void aBatchRunsEveryEventUpToTheBatchStepThenItOnceThenTheRestInOrder() {
        List<String> order = new ArrayList<>();
        PipelineStep validate = step(PipelineStage.VALIDATE_EVENT, context -> {
            order.add("validate " + context.source().offset());
            return context.source().offset() == 2 ? StepResult.drop("dropped_in_test") : StepResult.ok(context);
        });
        PipelineStep person = step(PipelineStage.PROCESS_PERSON, context -> {
            order.add("person " + context.source().offset());
            return StepResult.ok(context);
        });
        BatchStep hook = new BatchStep() {
            @Override
            public PipelineStage stage() {
                return PipelineStage.PREFETCH_PERSONS;
            }

            @Override
            public void apply(List<EventContext> going) {
                order.add("hook " + going.stream().map(context -> context.source().offset()).toList());
            }
        };
        EventPipeline pipeline = new EventPipeline(List.of(parse(), validate, hook, person, emitRow()), DLQ,
                Clock.fixed(NOW, ZoneOffset.UTC), metrics);
        List<EventContext.Source> sources = new ArrayList<>();
        for (long offset = 1; offset <= 3; offset++) {
            EventContext.Source source = message.source();
            sources.add(new EventContext.Source(source.topic(), source.partition(), offset, source.key(), source.value(),
                    source.headers()));
        }

        List<OutgoingRecord> records = pipeline.runBatch(sources, null);

        assertThat(order).containsExactly("validate 1", "validate 2", "validate 3", "hook [1, 3]", "person 1", "person 3");
        assertThat(records).containsExactly(row, row);
        assertThat(counter("ingest_plugin_events_dropped_total", "step", "validate_event", "cause", "dropped_in_test"))
                .isEqualTo(1);
    }

    /** A step of this stage that reads what {@code requires} produce and runs after {@code runsAfter} if present. */
    private PipelineStep needing(PipelineStage stage, Set<PipelineStage> requires, Set<PipelineStage> runsAfter) {
        PipelineStep inner = step(stage, StepResult::ok);
        return new PipelineStep() {
            @Override
            public PipelineStage stage() {
                return stage;
            }

            @Override
            public Set<PipelineStage> requires() {
                return requires;
            }

            @Override
            public Set<PipelineStage> runsAfter() {
                return runsAfter;
            }

            @Override
            public StepResult<EventContext> apply(EventContext context) {
                return inner.apply(context);
            }
        };
    }

    private EventPipeline pipeline(PipelineStep... steps) {
        return new EventPipeline(List.of(steps), DLQ, Clock.fixed(NOW, ZoneOffset.UTC), metrics);
    }

    @Test
    void aStepBeforeAStageItReadsFailsTheConstructionNotTheEvents() {
        PipelineStep person = needing(PipelineStage.PROCESS_PERSON, Set.of(PipelineStage.PARSE_TIMESTAMP), Set.of());

        assertThatThrownBy(() -> pipeline(parse(), person, needing(PipelineStage.PARSE_TIMESTAMP, Set.of(), Set.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("process_person")
                .hasMessageContaining("PARSE_TIMESTAMP");
        assertThatThrownBy(() -> pipeline(parse(), person)).as("a stage it reads is missing")
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(pipeline(parse(), needing(PipelineStage.PARSE_TIMESTAMP, Set.of(), Set.of()), person)).isNotNull();
    }

    @Test
    void aStageThatChangesWhatAStepReadsMustComeBeforeItWhenThePipelineHasIt() {
        PipelineStep person = needing(PipelineStage.PROCESS_PERSON, Set.of(), Set.of(PipelineStage.COOKIELESS));
        PipelineStep cookieless = needing(PipelineStage.COOKIELESS, Set.of(), Set.of());

        assertThat(pipeline(parse(), person)).as("absent: nothing to order").isNotNull();
        assertThat(pipeline(parse(), cookieless, person)).isNotNull();
        assertThatThrownBy(() -> pipeline(parse(), person, cookieless)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("COOKIELESS");
    }

    @Test
    void aStageAppearsOnce() {
        assertThatThrownBy(() -> pipeline(parse(), emitRow(), emitRow())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("twice");
    }
}
