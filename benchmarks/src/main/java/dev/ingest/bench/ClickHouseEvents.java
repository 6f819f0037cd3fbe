package dev.ingest.bench;

import dev.ingest.clickhouse.client.ClickHouseHttpClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a ClickHouse server's work goes between two snapshots, from its own counters ({@code system.events}, which
 * 18.16 has; it has no {@code query_log} or {@code part_log} unless configured): inserts and the rows and bytes they
 * carry, merges, ZooKeeper transactions, the threads' CPU time. Inserts per second and rows per insert tell the cost
 * of small Kafka-engine blocks: every block of every Kafka table is one insert (one part per table), however few rows
 * it holds, and a Distributed table forwards it to its shard as another.
 */
final class ClickHouseEvents {
    private static final List<String> REPORTED = List.of("InsertQuery", "InsertedRows", "InsertedBytes", "Merge", "MergedRows",
            "MergedUncompressedBytes", "ZooKeeperTransactions", "ZooKeeperWaitMicroseconds", "DiskWriteElapsedMicroseconds",
            "UserTimeMicroseconds", "SystemTimeMicroseconds", "RealTimeMicroseconds", "SelectQuery", "Query");

    private final List<ClickHouseHttpClient> nodes;
    private final List<Map<String, Long>> start;

    private ClickHouseEvents(List<ClickHouseHttpClient> nodes) {
        this.nodes = nodes;
        this.start = snapshot(nodes);
    }

    static ClickHouseEvents start(List<ClickHouseHttpClient> nodes) {
        return new ClickHouseEvents(nodes);
    }

    /** Per node: each counter's change per second since {@link #start}, inserts per second and rows per insert. */
    String report(double seconds, double events) {
        List<Map<String, Long>> end = snapshot(nodes);
        StringBuilder out = new StringBuilder();
        out.append("| node | inserts/s | rows per insert | rows/s | merges/s | merged rows/s | ZooKeeper transactions/s |"
                + " other counters per event |\n|---|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < nodes.size(); i++) {
            Map<String, Double> delta = new TreeMap<>();
            for (String name : REPORTED) {
                long before = start.get(i).getOrDefault(name, 0L);
                long after = end.get(i).getOrDefault(name, 0L);
                if (after != before) {
                    delta.put(name, (double) (after - before));
                }
            }
            double inserts = delta.getOrDefault("InsertQuery", 0.0);
            double rows = delta.getOrDefault("InsertedRows", 0.0);
            List<String> others = new ArrayList<>();
            for (String name : List.of("UserTimeMicroseconds", "SystemTimeMicroseconds", "RealTimeMicroseconds",
                    "ZooKeeperWaitMicroseconds", "DiskWriteElapsedMicroseconds", "InsertedBytes", "MergedUncompressedBytes")) {
                if (delta.containsKey(name)) {
                    others.add(String.format(Locale.ROOT, "%s %.1f", name, delta.get(name) / events));
                }
            }
            out.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %,.0f | %.1f | %,.0f | %.1f | %s |%n", nodes.get(i).baseUrl(),
                    inserts / seconds, inserts == 0 ? 0 : rows / inserts, rows / seconds, delta.getOrDefault("Merge", 0.0) / seconds,
                    delta.getOrDefault("MergedRows", 0.0) / seconds, delta.getOrDefault("ZooKeeperTransactions", 0.0) / seconds,
                    String.join("; ", others)));
        }
        return out.toString();
    }

    /** Active parts per table on each node: what the inserts left behind and the merges have not folded yet. */
    String parts() {
        StringBuilder out = new StringBuilder();
        for (ClickHouseHttpClient node : nodes) {
            Map<String, String> tables = new LinkedHashMap<>();
            for (var row : node.rows("SELECT table, count() AS parts, sum(rows) AS rows FROM system.parts WHERE active"
                    + " AND database = 'posthog' GROUP BY table ORDER BY table")) {
                tables.put(row.get("table").asString(), row.get("parts").asString() + " parts / " + row.get("rows").asString() + " rows");
            }
            out.append(node.baseUrl()).append(": ").append(tables).append('\n');
        }
        return out.toString();
    }

    private static List<Map<String, Long>> snapshot(List<ClickHouseHttpClient> nodes) {
        List<Map<String, Long>> snapshots = new ArrayList<>();
        for (ClickHouseHttpClient node : nodes) {
            Map<String, Long> counters = new TreeMap<>();
            for (var row : node.rows("SELECT event, value FROM system.events")) {
                counters.put(row.get("event").asString(), row.get("value").asLong());
            }
            snapshots.add(counters);
        }
        return snapshots;
    }
}
