package dev.ingest.clickhouse.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClickHouseMigratorTest {
    @Test
    void createsOfTablesALaterStatementDropsAreSkippedOnAFreshNode() {
        List<String> statements = List.of(
                "CREATE TABLE IF NOT EXISTS db.kafka_t (a UInt8) ENGINE = Kafka",
                "CREATE MATERIALIZED VIEW IF NOT EXISTS db.t_mv TO db.t AS SELECT a FROM db.kafka_t",
                "CREATE TABLE IF NOT EXISTS db.t (a UInt8) ENGINE = MergeTree ORDER BY a",
                "DROP TABLE IF EXISTS db.t_mv",
                "DROP TABLE db.kafka_t",
                "CREATE TABLE IF NOT EXISTS db.kafka_t (a UInt8, b UInt8) ENGINE = Kafka",
                "CREATE MATERIALIZED VIEW IF NOT EXISTS db.t_mv TO db.t AS SELECT a, b FROM db.kafka_t",
                "DROP TABLE IF EXISTS db.never_created");

        assertThat(ClickHouseMigrator.droppedLater(statements)).containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void theBundledMigrationsNeverCreateTheOldEventsKafkaTableOnAFreshNode() {
        MigrationRenderer renderer = new MigrationRenderer(new Topology(List.of(URI.create("http://a:8123")), "db",
                "c", false, "k:9092"), ServerGeneration.LEGACY);
        List<String> schema = MigrationLoader.load().stream().flatMap(m -> renderer.render(m).stream()).toList();
        List<Integer> superseded = List.copyOf(ClickHouseMigrator.droppedLater(schema));

        assertThat(superseded).hasSize(2).allSatisfy(i -> assertThat(schema.get(i))
                .matches("(?s)CREATE (TABLE|MATERIALIZED VIEW) IF NOT EXISTS db\\.(kafka_events_json|events_json_mv) .*")
                .doesNotContain("historical_migration"));
    }
}
