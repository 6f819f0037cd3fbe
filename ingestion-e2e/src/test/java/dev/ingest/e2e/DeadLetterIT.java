package dev.ingest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.clickhouse.client.ClickHouseHttpClient;
import dev.ingest.common.event.CapturedEvent;
import dev.ingest.common.json.Json;
import dev.ingest.common.kafka.Topics;
import dev.ingest.common.testing.Poll;
import dev.ingest.common.testing.TestingStack;
import dev.ingest.plugin.tools.ReplayDeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A message the plugin service cannot process goes to events_plugin_ingestion_dlq and into ClickHouse's
 * events_dead_letter_queue (what failed, where, why); the partition moves on; ./platform replay-dlq sends parked
 * messages back.
 */
class DeadLetterIT {
    @Test
    void unreadableMessagesAreDeadLetteredVisiblyAndParkedMessagesReplay() throws Exception {
        TestingPlatform platform = TestingPlatform.get();
        TestingPlatform.TestProject project = platform.createProject("dead letters");
        String marker = "garbage-" + UUID.randomUUID();
        String uuid = UUID.randomUUID().toString();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestingStack.kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            producer.send(new ProducerRecord<>(Topics.EVENTS_PLUGIN_INGESTION, marker,
                    ("{not json " + marker).getBytes(StandardCharsets.UTF_8))).get();
            // As if dead-lettered earlier: a valid event parked on the DLQ topic with the headers the pipeline adds.
            CapturedEvent parked = new CapturedEvent(uuid, "replayed-user", "127.0.0.1",
                    "{\"event\":\"replayed\",\"distinct_id\":\"replayed-user\",\"uuid\":\"" + uuid + "\",\"properties\":{}}",
                    Instant.now().toString(), null, project.token(), project.id(), "replayed", null, null);
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.EVENTS_PLUGIN_INGESTION_DLQ,
                    project.token() + ":replayed-user", Json.writeBytes(parked));
            record.headers().add("dlq-step", "process_person".getBytes(StandardCharsets.UTF_8));
            record.headers().add("dlq-reason", "step_error".getBytes(StandardCharsets.UTF_8));
            record.headers().add("dlq-source", (Topics.EVENTS_PLUGIN_INGESTION + "/0@1").getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }

        ClickHouseHttpClient clickhouse = platform.clickhouse();
        JsonNode row = Poll.until(Duration.ofSeconds(60), () -> clickhouse.rows("SELECT error_location, error, raw_payload, source"
                + " FROM posthog.events_dead_letter_queue WHERE raw_payload LIKE " + ClickHouseHttpClient.quote("%" + marker + "%")),
                rows -> !rows.isEmpty(), "the dead-letter row in ClickHouse").getFirst();
        assertThat(row.get("error_location").asString()).isEqualTo("parse_message");
        assertThat(row.get("error").asString()).startsWith("unparseable_message");
        assertThat(row.get("source").asString()).startsWith(Topics.EVENTS_PLUGIN_INGESTION + "/");

        ReplayDeadLetters.run(TestingStack.kafkaBootstrapServers());
        Poll.until(Duration.ofSeconds(60), () -> clickhouse.scalarLong("SELECT count() FROM posthog.events WHERE team_id = "
                + project.id() + " AND event = 'replayed'"), count -> count == 1, "the replayed event in ClickHouse");
    }
}
