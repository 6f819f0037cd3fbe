package dev.ingest.e2e.faults;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** The fault suite's results as Markdown, for results.md and RELIABILITY.md. */
final class ResultsTable {
    private ResultsTable() {}

    static String markdown(String suite, SuiteForm form, List<FaultResult> results, Duration took) {
        StringBuilder out = new StringBuilder();
        out.append(suite).append(", ").append(form.name()).append(" form, run ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS))
                .append(" in ").append(took.toSeconds()).append(" s: steady load of ").append((long) form.eventsPerSecond())
                .append(" events/s, outages of ").append(form.outage().toSeconds()).append(" s, backlog of ")
                .append(form.backlog().toSeconds()).append(" s, ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores.\n\n");
        out.append("| Fault | Sent | Acknowledged | Stored | Lost | Duplicated | Healthy after | All stored after | Notes |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (FaultResult result : results) {
            List<String> notes = new ArrayList<>();
            result.problems().forEach(problem -> notes.add("**FAILED: " + problem + "**"));
            notes.addAll(result.notes());
            out.append("| ").append(result.fault())
                    .append(" | ").append(result.sent())
                    .append(" | ").append(result.acknowledged())
                    .append(" | ").append(result.delivery().stored())
                    .append(" | ").append(result.delivery().lost())
                    .append(" | ").append(result.delivery().duplicated())
                    .append(" | ").append(seconds(result.healthyAfterMillis()))
                    .append(" | ").append(seconds(result.allStoredAfterMillis()))
                    .append(" | ").append(String.join("; ", notes).replace("|", "\\|"))
                    .append(" |\n");
        }
        out.append("\nStored counts distinct uuids in `events`; it exceeds Acknowledged by the events whose request failed")
                .append(" after Kafka had them. Healthy after: from the fault's end until capture, plugin and decide answer")
                .append(" ready. All stored after: from the fault's end until every event acknowledged before it is in")
                .append(" ClickHouse.\n");
        return out.toString();
    }

    private static String seconds(long millis) {
        return millis < 0 ? "not reached" : String.format("%.1f s", millis / 1000.0);
    }
}
