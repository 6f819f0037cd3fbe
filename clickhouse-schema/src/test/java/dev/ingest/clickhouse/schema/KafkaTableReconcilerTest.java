package dev.ingest.clickhouse.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaTableReconcilerTest {
    private static final Topology TOPOLOGY = new Topology(List.of(URI.create("http://ch:8123")), "posthog", "c", false, "kafka:9092");

    private static String rendered(ServerGeneration generation) {
        return new MigrationRenderer(TOPOLOGY, generation)
                .render(new Migration(1, "t", "{{kafka_engine clickhouse_events_json events}}")).getFirst();
    }

    @Test
    void readsTheSettingsTheServerReportsAsTheRendererWroteThem() {
        // engine_full as 18.16 reports it for a table created from the rendered clause.
        String reported = "Kafka SETTINGS kafka_broker_list = 'kafka:9092', kafka_topic_list = 'clickhouse_events_json',"
                + " kafka_group_name = 'ingest_posthog_events', kafka_format = 'JSONEachRow', kafka_max_block_size = 100";
        assertThat(KafkaTableReconciler.settings(reported)).isEqualTo(KafkaTableReconciler.settings(rendered(ServerGeneration.LEGACY)))
                .containsEntry("kafka_max_block_size", "100").containsEntry("kafka_topic_list", "'clickhouse_events_json'");
    }

    @Test
    void anOlderFlushSettingOrAnotherBrokerIsADifference() {
        Map<String, String> wanted = KafkaTableReconciler.settings(rendered(ServerGeneration.LEGACY));
        assertThat(KafkaTableReconciler.settings(rendered(ServerGeneration.LEGACY).replace("= 100", "= 1000"))).isNotEqualTo(wanted);
        assertThat(KafkaTableReconciler.settings(rendered(ServerGeneration.LEGACY).replace("kafka:9092", "k2:9092"))).isNotEqualTo(wanted);
        assertThat(KafkaTableReconciler.settings(rendered(ServerGeneration.MODERN))).containsEntry("kafka_flush_interval_ms", "1000");
    }

    @Test
    void aTableWithPositionalArgumentsHasNoSettings() {
        assertThat(KafkaTableReconciler.settings("Kafka('kafka:9092', 'clickhouse_events_json', 'g', 'JSONEachRow')")).isEmpty();
    }

    @Test
    void quotedValuesMayHoldCommasAndEscapedQuotes() {
        assertThat(KafkaTableReconciler.settings("Kafka SETTINGS kafka_broker_list = 'a:1,b:2', kafka_group_name = 'it\\'s'"))
                .containsEntry("kafka_broker_list", "'a:1,b:2'").containsEntry("kafka_group_name", "'it\\'s'");
    }
}
