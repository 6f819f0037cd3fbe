package dev.ingest.clickhouse.schema;

import dev.ingest.clickhouse.client.ClickHouseHttpClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Applies the migrations to every node of a topology, node by node, and records each in the node's
 * {@code schema_migrations} table. Re-running is safe: recorded versions are skipped, and every statement is
 * idempotent ({@code IF NOT EXISTS}, {@code IF EXISTS}, and an {@code ADD COLUMN} is skipped where the column exists),
 * so a run that died half way finishes on the next one. A recorded migration
 * whose file has since changed stops the run: migrations are append-only. Kafka engine tables are then brought to the
 * engine their migration renders today ({@link KafkaTableReconciler}).
 *
 * <p>DDL goes to each node directly rather than {@code ON CLUSTER}: errors come back from the node that had them,
 * and the single-node topology needs no ZooKeeper.
 */
public final class ClickHouseMigrator {
    private static final Pattern CREATE =
            Pattern.compile("(?s)^CREATE (?:TABLE|MATERIALIZED VIEW) IF NOT EXISTS ([^.\\s]+\\.\\w+)\\b.*");
    private static final Pattern DROP = Pattern.compile("(?s)^DROP TABLE (?:IF EXISTS )?([^.\\s]+\\.\\w+)\\b.*");
    private static final Pattern ADD_COLUMN =
            Pattern.compile("(?s)^ALTER TABLE ([^.\\s]+)\\.(\\w+) ADD COLUMN (`[^`]+`|\\w+)\\s.*");
    /**
     * Checksums of earlier texts of applied migrations that differ from today's only in their comments (the
     * references to documents outside the repository were rewritten): a node that recorded one of them is up to date.
     */
    static final Map<Integer, Set<String>> COMMENT_ONLY_REVISIONS = Map.of(
            1, Set.of("4305fd5f8c237b26"),
            2, Set.of("aee30957550b9ab3"));

    private final Topology topology;
    private final List<Migration> migrations;
    private final Consumer<String> log;
    private final Map<Integer, Set<String>> commentOnlyRevisions;

    public ClickHouseMigrator(Topology topology, List<Migration> migrations, Consumer<String> log) {
        this(topology, migrations, log, COMMENT_ONLY_REVISIONS);
    }

    /** @param commentOnlyRevisions version -> checksums of earlier texts that differ only in comments */
    ClickHouseMigrator(Topology topology, List<Migration> migrations, Consumer<String> log,
            Map<Integer, Set<String>> commentOnlyRevisions) {
        this.topology = Objects.requireNonNull(topology, "topology is null");
        this.migrations = List.copyOf(migrations);
        this.log = Objects.requireNonNull(log, "log is null");
        this.commentOnlyRevisions = Map.copyOf(commentOnlyRevisions);
    }

    public static ClickHouseMigrator withBundledMigrations(Topology topology, Consumer<String> log) {
        return new ClickHouseMigrator(topology, MigrationLoader.load(), log);
    }

    /**
     * Migrates every node; returns the versions applied per node (empty lists when all were there already). Each
     * migration runs on every node before the next one starts: a replica created from an old statement must meet the
     * table structure its shard's other replica had at that version (ZooKeeper holds one structure per replicated
     * table), and a replicated ALTER then reaches it from the replica that ran it.
     */
    public Map<URI, List<Integer>> migrate() {
        List<NodeState> nodes = topology.nodes().stream()
                .map(node -> new NodeState(node, new ClickHouseHttpClient(node, Duration.ofMinutes(2))))
                .toList();
        for (int m = 0; m < migrations.size(); m++) {
            for (NodeState node : nodes) {
                node.apply(m);
            }
        }
        Map<URI, List<Integer>> applied = new HashMap<>();
        for (NodeState node : nodes) {
            new KafkaTableReconciler(topology.database(), log).reconcile(node.client, node.schema);
            applied.put(node.uri, node.applied);
        }
        return applied;
    }

    /** One node's view of the migrations: what it recorded, the statements rendered for its server generation. */
    private final class NodeState {
        private final URI uri;
        private final ClickHouseHttpClient client;
        private final ServerGeneration generation;
        private final Map<Integer, String> recorded = new HashMap<>();
        private final List<List<String>> rendered;
        private final List<String> schema;
        private final Set<Integer> superseded;
        private final int[] firstStatement;
        private final List<Integer> applied = new ArrayList<>();

        NodeState(URI uri, ClickHouseHttpClient client) {
            this.uri = uri;
            this.client = client;
            this.generation = ServerGeneration.of(client.version());
            MigrationRenderer renderer = new MigrationRenderer(topology, generation);
            String db = topology.database();
            client.execute("CREATE DATABASE IF NOT EXISTS " + db);
            client.execute("CREATE TABLE IF NOT EXISTS " + db + ".schema_migrations (version UInt32, name String,"
                    + " checksum String, applied_at DateTime) ENGINE = MergeTree ORDER BY version");
            for (JsonNode row : client.rows("SELECT version, checksum FROM " + db + ".schema_migrations")) {
                recorded.put(row.get("version").asInt(), row.get("checksum").asString());
            }
            this.rendered = migrations.stream().map(renderer::render).toList();
            this.schema = rendered.stream().flatMap(List::stream).toList();
            this.superseded = droppedLater(schema);
            this.firstStatement = new int[migrations.size()];
            for (int m = 1; m < migrations.size(); m++) {
                firstStatement[m] = firstStatement[m - 1] + rendered.get(m - 1).size();
            }
        }

        void apply(int m) {
            Migration migration = migrations.get(m);
            String db = topology.database();
            String checksum = recorded.get(migration.version());
            if (checksum != null) {
                if (!checksum.equals(migration.checksum())
                        && !commentOnlyRevisions.getOrDefault(migration.version(), Set.of()).contains(checksum)) {
                    throw new IllegalStateException("ClickHouse migration " + migration.version() + "_" + migration.name()
                            + " changed after it was applied on " + client.baseUrl() + " (recorded checksum " + checksum
                            + ", file " + migration.checksum() + "): add a new migration instead of editing an old one");
                }
                return;
            }
            List<String> statements = rendered.get(m);
            for (int i = 0; i < statements.size(); i++) {
                String statement = statements.get(i);
                if (!superseded.contains(firstStatement[m] + i) && !addsAnExistingColumn(client, statement)) {
                    client.execute(statement);
                }
            }
            client.execute("INSERT INTO " + db + ".schema_migrations (version, name, checksum, applied_at) VALUES ("
                    + migration.version() + ", " + ClickHouseHttpClient.quote(migration.name()) + ", "
                    + ClickHouseHttpClient.quote(migration.checksum()) + ", now())");
            log.accept("applied ClickHouse migration " + migration.version() + "_" + migration.name() + " on "
                    + client.baseUrl() + " (" + generation.name().toLowerCase(Locale.ROOT) + " server)");
            applied.add(migration.version());
        }
    }

    /**
     * Positions of the CREATE statements whose table or view a later statement drops: a node that has not applied them
     * yet skips them, so a fresh install never creates, say, a Kafka table only to drop it a migration later.
     * TRICKY: dropping a Kafka table soon after it started consuming can abort an 18.16 server (see
     * {@link KafkaTableReconciler}); on an existing install the drop runs once, on upgrade.
     */
    static Set<Integer> droppedLater(List<String> statements) {
        Set<Integer> superseded = new HashSet<>();
        Map<String, Integer> created = new HashMap<>();
        for (int i = 0; i < statements.size(); i++) {
            Matcher create = CREATE.matcher(statements.get(i));
            Matcher drop = DROP.matcher(statements.get(i));
            if (create.matches()) {
                created.put(create.group(1), i);
            } else if (drop.matches() && created.containsKey(drop.group(1))) {
                superseded.add(created.remove(drop.group(1)));
            }
        }
        return superseded;
    }

    /**
     * Whether the statement is an {@code ALTER TABLE db.table ADD COLUMN name ...} whose column the table already has.
     * 18.16 has no {@code ADD COLUMN IF NOT EXISTS}; skipping such a statement is what keeps a migration that died half
     * way re-runnable.
     */
    static boolean addsAnExistingColumn(ClickHouseHttpClient client, String statement) {
        Matcher matcher = ADD_COLUMN.matcher(statement);
        if (!matcher.matches()) {
            return false;
        }
        String column = matcher.group(3).startsWith("`") ? matcher.group(3).substring(1, matcher.group(3).length() - 1)
                : matcher.group(3);
        return !client.rows("SELECT name FROM system.columns WHERE database = " + ClickHouseHttpClient.quote(matcher.group(1))
                + " AND table = " + ClickHouseHttpClient.quote(matcher.group(2)) + " AND name = "
                + ClickHouseHttpClient.quote(column)).isEmpty();
    }
}
