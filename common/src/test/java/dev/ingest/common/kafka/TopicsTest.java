package dev.ingest.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicsTest {
    @Test
    void everyTopicIsDefinedOnceWithPartitions() {
        assertThat(Topics.ALL).doesNotHaveDuplicates().hasSize(Topics.SPECS.size());
        assertThat(Topics.SPECS).allSatisfy(spec -> assertThat(spec.partitions()).isPositive());
    }

    @Test
    void theIngestionTopicLetsSeveralConsumersShareIt() {
        assertThat(Topics.SPECS).filteredOn(spec -> spec.name().equals(Topics.EVENTS_PLUGIN_INGESTION))
                .singleElement().satisfies(spec -> assertThat(spec.partitions()).isGreaterThanOrEqualTo(4));
    }
}
