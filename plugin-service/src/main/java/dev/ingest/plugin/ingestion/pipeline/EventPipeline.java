package dev.ingest.plugin.ingestion.pipeline;

import dev.ingest.common.event.CapturedEvent;
import dev.ingest.common.kafka.OutgoingRecord;
import dev.ingest.common.kafka.Topics;
import dev.ingest.plugin.ingestion.kafka.ClickHouseRows;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a batch of messages through the steps, in the order given at construction (the only place that knows it,
 * checked there: a step that reads what another produces must come after it), and turns each outcome into the
 * records to produce: the event row and its effects; the effects alone when a step dropped the event; the original
 * message on the dead-letter topic when a step dead-lettered it or failed on it. Throws {@link RetryableException}
 * only, when a dependency is down: the whole batch is then retried.
 */
public final class EventPipeline {
    private static final Logger log = LoggerFactory.getLogger(EventPipeline.class);

    private final List<Step> steps;
    private final String dlqTopic;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final Map<PipelineStage, Timer> timers = new EnumMap<>(PipelineStage.class);

    public EventPipeline(List<? extends Step> steps, String dlqTopic, Clock clock, MeterRegistry metrics) {
        this.steps = List.copyOf(steps);
        this.dlqTopic = Objects.requireNonNull(dlqTopic, "dlqTopic is null");
        this.clock = clock;
        this.metrics = metrics;
        checkOrder(this.steps);
        for (Step step : this.steps) {
            timers.put(step.stage(), Timer.builder("ingest_plugin_step_seconds").tag("step", step.stage().label())
                    .register(metrics));
        }
    }

    /** Each stage once, after every stage it requires and every stage it runs after that the pipeline has. */
    static void checkOrder(List<Step> steps) {
        Set<PipelineStage> all = EnumSet.noneOf(PipelineStage.class);
        steps.forEach(step -> all.add(step.stage()));
        Set<PipelineStage> before = EnumSet.noneOf(PipelineStage.class);
        for (Step step : steps) {
            Set<PipelineStage> missing = EnumSet.noneOf(PipelineStage.class);
            missing.addAll(step.requires());
            step.runsAfter().stream().filter(all::contains).forEach(missing::add);
            missing.removeAll(before);
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("pipeline step " + step.stage().label() + " needs " + missing
                        + " before it");
            }
            if (!before.add(step.stage())) {
                throw new IllegalArgumentException("pipeline stage " + step.stage().label() + " appears twice");
            }
        }
    }

    /** One message, as a batch of one. */
    public List<OutgoingRecord> run(EventContext.Source source, BatchScope scope) {
        return runBatch(List.of(source), scope);
    }

    /**
     * A poll batch: every event goes through the event steps up to the next batch step, which then runs once on
     * every event still going, and so on to the end; the events keep the batch's order throughout. Returns the
     * records of every event, in that order.
     */
    public List<OutgoingRecord> runBatch(List<EventContext.Source> sources, BatchScope scope) {
        List<Outcome> outcomes = new ArrayList<>(sources.size());
        for (EventContext.Source source : sources) {
            outcomes.add(new Continuing(EventContext.of(source, scope)));
        }
        int from = 0;
        for (int i = 0; i <= steps.size(); i++) {
            if (i < steps.size() && !(steps.get(i) instanceof BatchStep)) {
                continue;
            }
            for (int n = 0; n < outcomes.size(); n++) {
                if (outcomes.get(n) instanceof Continuing continuing) {
                    outcomes.set(n, runSteps(continuing.context(), from, i));
                }
            }
            if (i < steps.size()) {
                runBatchStep((BatchStep) steps.get(i), outcomes);
            }
            from = i + 1;
        }
        List<OutgoingRecord> records = new ArrayList<>(sources.size() * 2);
        for (Outcome outcome : outcomes) {
            records.addAll(switch (outcome) {
                case Finished finished -> finished.records();
                case Continuing continuing -> completed(continuing.context());
            });
        }
        return records;
    }

    private void runBatchStep(BatchStep step, List<Outcome> outcomes) {
        List<EventContext> going = new ArrayList<>(outcomes.size());
        for (Outcome outcome : outcomes) {
            if (outcome instanceof Continuing continuing) {
                going.add(continuing.context());
            }
        }
        if (going.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        try {
            step.apply(going);
        } catch (RuntimeException e) {
            // A batch step only reads ahead for the events: whatever failed there, the batch is tried again (and,
            // for a failure that is no dependency's, one event at a time).
            throw DependencyErrors.isRetryable(e) && !(e instanceof RetryableException)
                    ? new RetryableException("dependency unavailable in " + step.stage().label(), e) : e;
        } finally {
            timers.get(step.stage()).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * The dead-letter records of a message that failed after its steps had run (the batch's person write refused
     * it, when the batch is processed one event at a time).
     */
    public List<OutgoingRecord> deadLetter(EventContext.Source source, PipelineStage stage, Throwable error) {
        metrics.counter("ingest_plugin_events_dead_lettered_total", "step", stage.label(), "cause", "step_error")
                .increment();
        log.warn("writing the event of {}/{}@{} failed in {}; sending it to {}", source.topic(), source.partition(),
                source.offset(), stage.label(), dlqTopic, error);
        OutgoingRecord replayable = deadLetter(source, stage, "step_error", error);
        return List.of(replayable, deadLetterRow(EventContext.of(source, null), replayable));
    }

    /** Where an event stands after some of the steps: still going, or done with these records. */
    private sealed interface Outcome permits Continuing, Finished {}

    private record Continuing(EventContext context) implements Outcome {}

    private record Finished(List<OutgoingRecord> records) implements Outcome {}

    /** Steps {@code from} (inclusive) to {@code to} (exclusive) on one event. */
    private Outcome runSteps(EventContext start, int from, int to) {
        EventContext context = start;
        EventContext.Source source = context.source();
        for (Step next : steps.subList(from, to)) {
            PipelineStep step = (PipelineStep) next;
            StepResult<EventContext> result;
            long started = System.nanoTime();
            try {
                result = step.apply(context);
            } catch (RuntimeException e) {
                PartitionLostException lost = DependencyErrors.lostPartitions(e);
                if (lost != null) {
                    throw lost;
                }
                if (DependencyErrors.isRetryable(e)) {
                    throw e instanceof RetryableException retryable ? retryable
                            : new RetryableException("dependency unavailable in " + step.stage().label(), e);
                }
                log.warn("step {} failed on {}/{}@{}; sending the event to {}", step.stage().label(), source.topic(),
                        source.partition(), source.offset(), dlqTopic, e);
                result = StepResult.deadLetter("step_error", e);
            } finally {
                timers.get(step.stage()).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            }
            switch (result) {
                case StepResult.Ok<EventContext> ok -> context = ok.value();
                case StepResult.Drop<EventContext> drop -> {
                    metrics.counter("ingest_plugin_events_dropped_total", "step", step.stage().label(), "cause",
                            drop.cause()).increment();
                    return new Finished(context.effects());
                }
                case StepResult.DeadLetter<EventContext> dead -> {
                    metrics.counter("ingest_plugin_events_dead_lettered_total", "step", step.stage().label(), "cause",
                            dead.reason()).increment();
                    List<OutgoingRecord> records = new ArrayList<>(context.effects());
                    OutgoingRecord replayable = deadLetter(source, step.stage(), dead.reason(), dead.error());
                    records.add(replayable);
                    records.add(deadLetterRow(context, replayable));
                    return new Finished(records);
                }
            }
        }
        return new Continuing(context);
    }

    /** The records of an event that went through every step: its effects, then its row. */
    private List<OutgoingRecord> completed(EventContext context) {
        List<OutgoingRecord> records = new ArrayList<>(context.effects());
        if (context.row() != null) {
            records.add(context.row());
        }
        metrics.counter("ingest_plugin_events_processed_total").increment();
        return records;
    }

    private OutgoingRecord deadLetter(EventContext.Source source, PipelineStage stage, String reason, Throwable error) {
        Map<String, String> headers = new LinkedHashMap<>(source.headers());
        headers.put("dlq-step", stage.label());
        headers.put("dlq-reason", reason);
        headers.put("dlq-error", error == null ? "" : truncate(error.getClass().getName() + ": " + error.getMessage()));
        headers.put("dlq-timestamp", Instant.now(clock).toString());
        headers.put("dlq-source", source.topic() + "/" + source.partition() + "@" + source.offset());
        return new OutgoingRecord(dlqTopic, source.key(), source.value(), headers);
    }

    /** The same failure as a row for ClickHouse's events_dead_letter_queue table, for operators to query. */
    private OutgoingRecord deadLetterRow(EventContext context, OutgoingRecord replayable) {
        EventContext.Source source = context.source();
        CapturedEvent captured = context.captured();
        Map<String, String> headers = replayable.headers();
        return ClickHouseRows.deadLetter(captured == null ? source.headers().getOrDefault("uuid", "") : captured.uuid(),
                captured == null ? source.headers().getOrDefault("event", "") : captured.event(),
                captured == null ? source.headers().getOrDefault("distinct_id", "") : captured.distinctId(),
                context.team() == null ? (captured == null || captured.teamId() == null ? 0 : captured.teamId()) : context.team().id(),
                new String(source.value(), StandardCharsets.UTF_8), Instant.now(clock), headers.get("dlq-step"),
                headers.get("dlq-reason") + ": " + headers.get("dlq-error"), headers.get("dlq-source"));
    }

    private static String truncate(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= 1000) {
            return text;
        }
        // Cut at a character boundary: never inside a multi-byte sequence (that would decode to an extra U+FFFD).
        int end = 1000;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** Topic names the pipeline writes to, for the startup check. */
    public static List<String> outputTopics(String dlqTopic) {
        return List.of(dlqTopic, Topics.EVENTS_DEAD_LETTER_QUEUE, Topics.CLICKHOUSE_EVENTS_JSON, Topics.CLICKHOUSE_PERSON,
                Topics.CLICKHOUSE_PERSON_DISTINCT_ID, Topics.CLICKHOUSE_PERSON_DISTINCT_ID_OVERRIDES,
                Topics.CLICKHOUSE_INGESTION_WARNINGS, Topics.CLICKHOUSE_GROUPS, Topics.CLICKHOUSE_HEATMAP_EVENTS);
    }
}
