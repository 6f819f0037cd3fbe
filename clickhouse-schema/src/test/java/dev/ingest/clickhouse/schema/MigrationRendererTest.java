package dev.ingest.clickhouse.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class MigrationRendererTest {
    private static final Topology SHARDED = new Topology(List.of(URI.create("http://a:8123"), URI.create("http://b:8123")),
            "posthog", "posthog", true, "kafka:9092");
    private static final Topology SINGLE = new Topology(List.of(URI.create("http://a:8123")), "analytics", "one", false,
            "127.0.0.1:9092");

    private static Migration migration(String template) {
        return new Migration(1, "test", template);
    }

    @Test
    void rendersReplicatedShardEnginesWithClickHouseMacrosUntouched() {
        List<String> statements = new MigrationRenderer(SHARDED, ServerGeneration.LEGACY)
                .render(migration("CREATE TABLE {{db}}.t (v UInt8) ENGINE = {{sharded_engine t _timestamp}} ORDER BY v;"));
        assertThat(statements).containsExactly("CREATE TABLE posthog.t (v UInt8) ENGINE = "
                + "ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/posthog.t', '{replica}', _timestamp) ORDER BY v");
    }

    @Test
    void rendersPlainReplacingMergeTreeOnASingleNode() {
        List<String> statements = new MigrationRenderer(SINGLE, ServerGeneration.MODERN)
                .render(migration("CREATE TABLE {{db}}.p (v UInt8) ENGINE = {{replicated_engine p version}} ORDER BY v"));
        assertThat(statements).containsExactly("CREATE TABLE analytics.p (v UInt8) ENGINE = ReplacingMergeTree(version) ORDER BY v");
    }

    @Test
    void rendersShardedLogTablesAndTheirTtlPerGeneration() {
        String template = "CREATE TABLE {{db}}.h (t DateTime) ENGINE = {{sharded_log_engine h}} ORDER BY t {{ttl t 90}}";
        assertThat(new MigrationRenderer(SHARDED, ServerGeneration.LEGACY).render(migration(template)))
                .containsExactly("CREATE TABLE posthog.h (t DateTime) ENGINE = "
                        + "ReplicatedMergeTree('/clickhouse/tables/{shard}/posthog.h', '{replica}') ORDER BY t");
        assertThat(new MigrationRenderer(SINGLE, ServerGeneration.MODERN).render(migration(template)))
                .containsExactly("CREATE TABLE analytics.h (t DateTime) ENGINE = MergeTree() ORDER BY t"
                        + " TTL toDate(t) + toIntervalDay(90)");
        assertThatThrownBy(() -> new MigrationRenderer(SINGLE, ServerGeneration.MODERN).render(migration("{{ttl t ninety}}")))
                .hasMessageContaining("whole number of days");
    }

    @Test
    void rendersEveryServerDifferenceFromOnePlace() {
        String template = "SELECT {{parse_timestamp ts}}, {{kafka_offset}} FROM x WHERE c = '{{timestamp_type}}'";
        assertThat(new MigrationRenderer(SINGLE, ServerGeneration.LEGACY).render(migration(template)))
                .containsExactly("SELECT toDateTime(substring(ts, 1, 19)), toUInt64(0) FROM x WHERE c = 'DateTime'");
        assertThat(new MigrationRenderer(SINGLE, ServerGeneration.MODERN).render(migration(template)))
                .containsExactly("SELECT parseDateTime64BestEffort(ts, 6, 'UTC'), _offset FROM x WHERE c = 'DateTime64(6, 'UTC')'");
    }

    @Test
    void rendersAJsonStringKeyPerGeneration() {
        String template = "ALTER TABLE {{db}}.e ADD COLUMN `$group_0` String MATERIALIZED {{json_string properties $group_0}}";
        assertThat(new MigrationRenderer(SINGLE, ServerGeneration.LEGACY).render(migration(template))).containsExactly(
                "ALTER TABLE analytics.e ADD COLUMN `$group_0` String MATERIALIZED visitParamExtractString(properties, '$group_0')");
        assertThat(new MigrationRenderer(SINGLE, ServerGeneration.MODERN).render(migration(template))).containsExactly(
                "ALTER TABLE analytics.e ADD COLUMN `$group_0` String MATERIALIZED JSONExtractString(properties, '$group_0')");
    }

    @Test
    void namesTheKafkaConsumerGroupAfterTheDatabase() {
        assertThat(new MigrationRenderer(SHARDED, ServerGeneration.LEGACY).render(migration("ENGINE = {{kafka_engine topic_a events}}")))
                .containsExactly("ENGINE = Kafka SETTINGS kafka_broker_list = 'kafka:9092', kafka_topic_list = 'topic_a',"
                        + " kafka_group_name = 'ingest_posthog_events', kafka_format = 'JSONEachRow', kafka_max_block_size = 100");
    }

    @Test
    void boundsHowLongAConsumedRowWaitsOnEitherGeneration() {
        // 18.16 cuts blocks only by rows; newer servers also by time.
        assertThat(new MigrationRenderer(SHARDED, ServerGeneration.LEGACY).render(migration("{{kafka_engine t g}}")).getFirst())
                .endsWith("kafka_max_block_size = 100");
        assertThat(new MigrationRenderer(SHARDED, ServerGeneration.MODERN).render(migration("{{kafka_engine t g}}")).getFirst())
                .endsWith("kafka_flush_interval_ms = 1000");
    }

    @Test
    void splitsStatementsAndDropsCommentLines() {
        List<String> statements = new MigrationRenderer(SINGLE, ServerGeneration.LEGACY)
                .render(migration("-- a comment; with a semicolon\nSELECT 1;\n\nSELECT 2;\n"));
        assertThat(statements).containsExactly("SELECT 1", "SELECT 2");
    }

    @Test
    void refusesUnknownPlaceholdersAndMissingArguments() {
        MigrationRenderer renderer = new MigrationRenderer(SINGLE, ServerGeneration.LEGACY);
        assertThatThrownBy(() -> renderer.render(migration("SELECT {{nope}}"))).hasMessageContaining("unknown placeholder");
        assertThatThrownBy(() -> renderer.render(migration("SELECT {{sharded_engine t}}"))).hasMessageContaining("needs 2");
    }

    @Test
    void detectsTheServerGenerationFromItsVersion() {
        assertThat(ServerGeneration.of("18.16.1")).isEqualTo(ServerGeneration.LEGACY);
        assertThat(ServerGeneration.of("19.17.4.11")).isEqualTo(ServerGeneration.LEGACY);
        assertThat(ServerGeneration.of("25.8.2.29")).isEqualTo(ServerGeneration.MODERN);
    }

    @Test
    void topologyRejectsIdentifiersThatCouldInjectSql() {
        assertThatThrownBy(() -> new Topology(List.of(URI.create("http://a")), "x; DROP TABLE y", "c", false, "k:1"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Topology(List.of(URI.create("http://a")), "db", "c", false, "k:1', 'x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bundledMigrationsLoadInOrderAndRenderForBothGenerations() {
        List<Migration> migrations = MigrationLoader.load();
        assertThat(migrations).isNotEmpty();
        assertThat(migrations.getFirst().version()).isEqualTo(1);
        for (Migration migration : migrations) {
            for (ServerGeneration generation : ServerGeneration.values()) {
                assertThat(new MigrationRenderer(SHARDED, generation).render(migration))
                        .allSatisfy(statement -> assertThat(statement).doesNotContain("{{"));
            }
        }
    }
}
