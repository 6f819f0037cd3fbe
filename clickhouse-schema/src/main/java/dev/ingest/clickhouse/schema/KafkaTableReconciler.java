package dev.ingest.clickhouse.schema;

import dev.ingest.clickhouse.client.ClickHouseHttpClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Keeps each Kafka engine table of the migrations on the engine its migration renders today: the brokers of the current
 * configuration and the flush settings of the server's generation ({@link ServerGeneration#kafkaFlushSettings()}).
 * Migrations are append-only, so a table created by an older release keeps its old engine; neither 18.16 nor newer
 * servers can alter a Kafka table's settings in place.
 *
 * <p>A table whose settings differ is recreated: its materialized views are dropped, then the table, then both are
 * created again from the migration text (a view that no migration made is recreated from the server's own
 * {@code SHOW CREATE}). The consumer group keeps its name, so consumption resumes at the committed offsets; a block
 * read but not committed when the table was dropped is read again, and the replacing tables collapse those rows.
 * A run that dies half way finishes on the next one: the CREATE ({@code IF NOT EXISTS}) of every Kafka table and view
 * that the migrations leave standing runs on every pass.
 *
 * <p>TRICKY: dropping a Kafka table can abort an 18.16 server (its librdkafka asserts in
 * {@code rd_kafka_cgrp_destroy_final} when a consumer is destroyed while its group is still leaving; seen in two of
 * five runs of this project's migrator test, on its DROP DATABASE). A supervised server restarts and the next
 * migrator run finishes the job; that is why every CREATE runs on every pass.
 */
final class KafkaTableReconciler {
    private static final Pattern KAFKA_TABLE =
            Pattern.compile("(?s)^CREATE TABLE IF NOT EXISTS [^.\\s]+\\.(\\w+)\\b.*\\bENGINE = (Kafka\\b.*)$");
    private static final Pattern VIEW = Pattern.compile("(?s)^CREATE MATERIALIZED VIEW IF NOT EXISTS [^.\\s]+\\.(\\w+)\\b.*");
    private static final Pattern DROP = Pattern.compile("(?s)^DROP TABLE (?:IF EXISTS )?[^.\\s]+\\.(\\w+)\\b.*");
    private static final Pattern SETTING = Pattern.compile("(\\w+)\\s*=\\s*('(?:[^'\\\\]|\\\\.)*'|[^,\\s)]+)");

    private final String database;
    private final Consumer<String> log;

    KafkaTableReconciler(String database, Consumer<String> log) {
        this.database = database;
        this.log = log;
    }

    /**
     * Reconciles the node's Kafka tables with the rendered statements of every migration; returns the tables it
     * recreated.
     */
    List<String> reconcile(ClickHouseHttpClient client, List<String> statements) {
        Map<String, String> kafkaTables = new LinkedHashMap<>();
        Map<String, String> views = new LinkedHashMap<>();
        Map<String, String> wantedEngines = new HashMap<>();
        for (String statement : statements) {
            Matcher table = KAFKA_TABLE.matcher(statement);
            Matcher view = VIEW.matcher(statement);
            Matcher drop = DROP.matcher(statement);
            if (drop.matches()) {
                // A later migration dropped it: not part of the schema any more.
                kafkaTables.remove(drop.group(1));
                wantedEngines.remove(drop.group(1));
                views.remove(drop.group(1));
            } else if (table.matches()) {
                kafkaTables.put(table.group(1), statement);
                wantedEngines.put(table.group(1), table.group(2));
            } else if (view.matches()) {
                views.put(view.group(1), statement);
            }
        }
        List<String> recreated = new ArrayList<>();
        List<String> extraViews = new ArrayList<>();
        String db = ClickHouseHttpClient.quote(database);
        for (JsonNode row : client.rows("SELECT name, engine_full, dependencies_table FROM system.tables WHERE database = "
                + db + " AND engine = 'Kafka'")) {
            String name = row.get("name").asString();
            String wanted = wantedEngines.get(name);
            if (wanted == null || settings(row.get("engine_full").asString()).equals(settings(wanted))) {
                continue;
            }
            for (JsonNode dependent : row.get("dependencies_table")) {
                String view = dependent.asString();
                if (!views.containsKey(view)) {
                    extraViews.add(client.rows("SHOW CREATE TABLE " + database + "." + view).getFirst().get("statement").asString());
                }
                client.execute("DROP TABLE IF EXISTS " + database + "." + view);
            }
            client.execute("DROP TABLE IF EXISTS " + database + "." + name);
            recreated.add(name);
            log.accept("recreating ClickHouse Kafka table " + database + "." + name + " on " + client.baseUrl()
                    + " with engine " + wanted);
        }
        kafkaTables.values().forEach(client::execute);
        views.values().forEach(client::execute);
        extraViews.forEach(client::execute);
        return recreated;
    }

    /** The {@code key = value} settings of a Kafka engine clause; positional arguments (older tables) give none. */
    static Map<String, String> settings(String engine) {
        Map<String, String> settings = new HashMap<>();
        int start = engine.indexOf("SETTINGS");
        if (start < 0) {
            return settings;
        }
        Matcher matcher = SETTING.matcher(engine.substring(start + "SETTINGS".length()));
        while (matcher.find()) {
            settings.put(matcher.group(1), matcher.group(2));
        }
        return settings;
    }
}
