package dev.ingest.plugin.ingestion.step;

import dev.ingest.plugin.ingestion.pipeline.BatchStep;
import dev.ingest.plugin.ingestion.pipeline.EventContext;
import dev.ingest.plugin.ingestion.pipeline.PipelineStage;
import dev.ingest.plugin.person.PersonProcessor;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads, in one query per project, the persons of every distinct id the batch's person processing will touch: each
 * event's own, and the one an {@code $identify} / {@code $create_alias} / {@code $merge_dangerously} merges in
 * (PostHog's prefetchPersonsStep). Personless events are left out: they record their distinct id before reading it.
 */
public final class PrefetchPersonsStep implements BatchStep {
    @Override
    public PipelineStage stage() {
        return PipelineStage.PREFETCH_PERSONS;
    }

    @Override
    public Set<PipelineStage> requires() {
        return Set.of(PipelineStage.RESOLVE_TEAM);
    }

    @Override
    public Set<PipelineStage> runsAfter() {
        return PipelineStage.changingPersonInput();
    }

    @Override
    public void apply(List<EventContext> events) {
        Map<Long, Set<String>> byTeam = new LinkedHashMap<>();
        for (EventContext event : events) {
            if (!event.processPerson()) {
                continue;
            }
            Set<String> ids = byTeam.computeIfAbsent(event.team().id(), t -> new LinkedHashSet<>());
            ids.add(event.distinctId());
            String mergeFrom = PersonProcessor.mergeFrom(event.eventName(), event.properties());
            if (mergeFrom != null) {
                ids.add(mergeFrom);
            }
        }
        if (!byTeam.isEmpty()) {
            var persons = events.getFirst().scope().persons();
            byTeam.forEach(persons::prefetch);
        }
    }
}
