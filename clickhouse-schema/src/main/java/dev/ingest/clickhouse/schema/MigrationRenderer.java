package dev.ingest.clickhouse.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a migration template into the statements for one topology and server generation.
 *
 * <p>Placeholders are {@code {{name arg...}}} (double braces, so ClickHouse's own {shard}/{replica} macros pass
 * through untouched):
 * <ul>
 *   <li>{@code {{db}}}, {@code {{cluster}}}</li>
 *   <li>{@code {{timestamp_type}}}, {@code {{parse_timestamp column}}}, {@code {{kafka_offset}}},
 *       {@code {{json_string column key}}}: see {@link ServerGeneration}</li>
 *   <li>{@code {{sharded_engine table version}}}: a ReplacingMergeTree holding this shard's part of the table</li>
 *   <li>{@code {{replicated_engine table version}}}: a ReplacingMergeTree of which every node holds a full copy</li>
 *   <li>{@code {{replicated_log_engine table}}}: a plain MergeTree (rows never replace each other), full copy on
 *       every node</li>
 *   <li>{@code {{sharded_log_engine table}}}: a plain MergeTree holding this shard's part of the table</li>
 *   <li>{@code {{ttl column days}}}: a table TTL deleting rows {@code days} after {@code column}'s day, where the
 *       server has TTLs (see {@link ServerGeneration#ttl})</li>
 *   <li>{@code {{kafka_engine topic group}}}: a Kafka engine table reading JSONEachRow, with the flush settings of
 *       {@link ServerGeneration#kafkaFlushSettings()}; the consumer group is
 *       {@code ingest_<database>_<group>}, so two databases on one server (tests) never split a topic between them</li>
 * </ul>
 * Statements are separated by a line ending in {@code ;}; lines starting with {@code --} are comments.
 */
public final class MigrationRenderer {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-z_]+)((?:\\s+[A-Za-z0-9_$.]+)*)\\s*}}");

    private final Topology topology;
    private final ServerGeneration generation;

    public MigrationRenderer(Topology topology, ServerGeneration generation) {
        this.topology = topology;
        this.generation = generation;
    }

    public List<String> render(Migration migration) {
        StringBuilder body = new StringBuilder();
        for (String line : migration.template().split("\n")) {
            if (!line.stripLeading().startsWith("--")) {
                body.append(line).append('\n');
            }
        }
        Matcher matcher = PLACEHOLDER.matcher(body);
        StringBuilder rendered = new StringBuilder();
        while (matcher.find()) {
            String[] args = matcher.group(2).trim().isEmpty() ? new String[0] : matcher.group(2).trim().split("\\s+");
            matcher.appendReplacement(rendered, Matcher.quoteReplacement(expand(matcher.group(1), args, migration)));
        }
        matcher.appendTail(rendered);
        List<String> statements = new ArrayList<>();
        for (String statement : rendered.toString().split(";\\s*(\n|$)")) {
            if (!statement.isBlank()) {
                statements.add(statement.strip());
            }
        }
        return statements;
    }

    private String expand(String name, String[] args, Migration migration) {
        String db = topology.database();
        return switch (name) {
            case "db" -> db;
            case "cluster" -> topology.cluster();
            case "timestamp_type" -> generation.eventTimestampType();
            case "kafka_offset" -> generation.kafkaOffset();
            case "parse_timestamp" -> generation.parseTimestamp(arg(args, 0, name, migration));
            case "json_string" -> generation.jsonString(arg(args, 0, name, migration), arg(args, 1, name, migration));
            case "sharded_engine" -> topology.replicated()
                    ? replicated("/clickhouse/tables/{shard}/" + db + "." + arg(args, 0, name, migration), arg(args, 1, name, migration))
                    : "ReplacingMergeTree(" + arg(args, 1, name, migration) + ")";
            case "replicated_engine" -> topology.replicated()
                    ? replicated("/clickhouse/tables/all/" + db + "." + arg(args, 0, name, migration), arg(args, 1, name, migration))
                    : "ReplacingMergeTree(" + arg(args, 1, name, migration) + ")";
            case "replicated_log_engine" -> topology.replicated()
                    ? "ReplicatedMergeTree('/clickhouse/tables/all/" + db + "." + arg(args, 0, name, migration) + "', '{replica}')"
                    : "MergeTree()";
            case "sharded_log_engine" -> topology.replicated()
                    ? "ReplicatedMergeTree('/clickhouse/tables/{shard}/" + db + "." + arg(args, 0, name, migration) + "', '{replica}')"
                    : "MergeTree()";
            case "ttl" -> generation.ttl(arg(args, 0, name, migration), days(arg(args, 1, name, migration), migration));
            case "kafka_engine" -> "Kafka SETTINGS kafka_broker_list = '" + topology.kafkaBrokers() + "', kafka_topic_list = '"
                    + arg(args, 0, name, migration) + "', kafka_group_name = 'ingest_" + db + "_" + arg(args, 1, name, migration)
                    + "', kafka_format = 'JSONEachRow', " + generation.kafkaFlushSettings();
            default -> throw new IllegalStateException("unknown placeholder {{" + name + "}} in migration "
                    + migration.version() + "_" + migration.name());
        };
    }

    private static String replicated(String zookeeperPath, String versionColumn) {
        return "ReplicatedReplacingMergeTree('" + zookeeperPath + "', '{replica}', " + versionColumn + ")";
    }

    private static int days(String value, Migration migration) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("{{ttl}} needs a whole number of days in migration " + migration.version() + "_"
                    + migration.name() + ", not " + value, e);
        }
    }

    private static String arg(String[] args, int index, String name, Migration migration) {
        if (index >= args.length) {
            throw new IllegalStateException("placeholder {{" + name + "}} needs " + (index + 1) + " argument(s) in migration "
                    + migration.version() + "_" + migration.name());
        }
        return args[index];
    }
}
