package dev.ingest.plugin.ingestion.pipeline;

import dev.ingest.common.kafka.OutgoingRecord;
import dev.ingest.plugin.group.GroupBatch;
import dev.ingest.plugin.person.BatchPersonStore;
import dev.ingest.plugin.person.PersonProcessor;
import java.util.ArrayList;
import java.util.List;

/**
 * What the events of one poll batch share (one thread): their persons and their group upserts, written together
 * by {@link #flush()} once every event went through the pipeline. A batch that fails is dropped with its scope,
 * and the outbox rows of what it committed stay for the sweeper.
 */
public final class BatchScope {
    /** Turns a warning of the batch's late person work (an identify run again at the write) into its row. */
    @FunctionalInterface
    public interface WarningRows {
        OutgoingRecord row(PersonProcessor.Request request, PersonProcessor.Warning warning);
    }

    private final BatchPersonStore persons;
    private final GroupBatch groups;
    private final PersonProcessor processor;
    private final WarningRows warningRows;

    public BatchScope(BatchPersonStore persons, GroupBatch groups, PersonProcessor processor, WarningRows warningRows) {
        this.persons = persons;
        this.groups = groups;
        this.processor = processor;
        this.warningRows = warningRows;
    }

    public BatchPersonStore persons() {
        return persons;
    }

    public GroupBatch groups() {
        return groups;
    }

    /** Writes the batch's persons and groups; returns the rows that owes ClickHouse. */
    public List<OutgoingRecord> flush() {
        List<OutgoingRecord> rows = new ArrayList<>();
        List<OutgoingRecord> warnings = new ArrayList<>();
        rows.addAll(processor.flush(persons, (request, warning) -> warnings.add(warningRows.row(request, warning))));
        rows.addAll(groups.flush());
        rows.addAll(warnings);
        return rows;
    }

    /** The outbox rows the batch's transactions wrote, to delete once Kafka acknowledged {@link #flush()}'s rows. */
    public List<Long> outboxIds() {
        return persons.outboxIds();
    }
}
