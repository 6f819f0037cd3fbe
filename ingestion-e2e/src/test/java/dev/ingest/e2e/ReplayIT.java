package dev.ingest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.clickhouse.client.ClickHouseHttpClient;
import dev.ingest.common.kafka.Topics;
import dev.ingest.common.testing.Poll;
import dev.ingest.common.testing.TestingStack;
import dev.ingest.common.testing.TopicTail;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** At-least-once made harmless: the same captured messages consumed twice leave PostgreSQL and ClickHouse unchanged. */
class ReplayIT {
    @Test
    void consumingTheSameInputTwiceGivesTheSameFinalState() throws Exception {
        TestingPlatform platform = TestingPlatform.get();
        TestingPlatform.TestProject project = platform.createProject("replay");
        StringBuilder batch = new StringBuilder();
        int events = 0;
        for (int i = 0; i < 30; i++) {
            batch.append(events++ == 0 ? "" : ",").append(event("$pageview", "anon-" + i, "\"$set\":{\"v\":" + i + "},"
                    + "\"$set_once\":{\"first\":" + i + "}"));
            batch.append(',').append(event("$identify", "user-" + i, "\"$anon_distinct_id\":\"anon-" + i + "\","
                    + "\"$set\":{\"email\":\"" + i + "@x.test\"}"));
            events++;
        }
        List<ConsumerRecord<String, byte[]>> captured;
        try (TopicTail tail = new TopicTail(Topics.EVENTS_PLUGIN_INGESTION)) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(platform.captureUrl().resolve("/batch/"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"api_key\":\"" + project.token() + "\",\"batch\":[" + batch + "]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            captured = tail.await(r -> r.key() != null && r.key().startsWith(project.token() + ":"), events, Duration.ofSeconds(30));
        }
        ClickHouseHttpClient clickhouse = platform.clickhouse();
        String team = " WHERE team_id = " + project.id();
        int expected = events;
        Poll.until(Duration.ofSeconds(60), () -> clickhouse.scalarLong("SELECT count() FROM posthog.events FINAL" + team),
                count -> count == expected, "the first pass in ClickHouse");
        Map<String, String> persons = persons(platform, project.id());
        Map<String, String> distinctIds = distinctIds(platform, project.id());

        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestingStack.kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            for (ConsumerRecord<String, byte[]> record : captured) {
                ProducerRecord<String, byte[]> again = new ProducerRecord<>(record.topic(), record.key(), record.value());
                record.headers().forEach(again.headers()::add);
                producer.send(again).get();
            }
        }
        platform.awaitPluginCaughtUp(Duration.ofSeconds(60));
        // ClickHouse may not have merged the duplicates yet; FINAL and distinct uuids show what it keeps. The replayed
        // rows are in once the raw count reaches twice the events (or merges already collapsed some).
        Poll.until(Duration.ofSeconds(30), () -> clickhouse.scalarLong("SELECT count() FROM posthog.events" + team),
                count -> count >= 2L * expected || clickhouse.scalarLong("SELECT count() FROM posthog.events FINAL" + team) == expected
                        && count > expected, "the replayed rows in ClickHouse");
        assertThat(clickhouse.scalarLong("SELECT count() FROM posthog.events FINAL" + team)).isEqualTo(expected);
        assertThat(clickhouse.scalarLong("SELECT uniqExact(uuid) FROM posthog.events" + team)).isEqualTo(expected);
        assertThat(distinctIds(platform, project.id())).isEqualTo(distinctIds);
        Map<String, String> after = persons(platform, project.id());
        assertThat(after.keySet()).isEqualTo(persons.keySet());
        assertThat(after).isEqualTo(persons);
    }

    private static String event(String name, String distinctId, String properties) {
        return "{\"event\":\"" + name + "\",\"distinct_id\":\"" + distinctId + "\",\"uuid\":\"" + UUID.randomUUID()
                + "\",\"properties\":{" + properties + "}}";
    }

    private static Map<String, String> persons(TestingPlatform platform, long teamId) throws Exception {
        return query(platform, "SELECT uuid::text, version || ' ' || is_identified || ' ' || (properties - '$creator_event_uuid')::text"
                + " FROM person WHERE team_id = ?", teamId);
    }

    private static Map<String, String> distinctIds(TestingPlatform platform, long teamId) throws Exception {
        return query(platform, "SELECT d.distinct_id, p.uuid::text || ' ' || d.version FROM person_distinct_id d"
                + " JOIN person p ON p.id = d.person_id WHERE d.team_id = ?", teamId);
    }

    private static Map<String, String> query(TestingPlatform platform, String sql, long teamId) throws Exception {
        Map<String, String> values = new TreeMap<>();
        try (Connection connection = platform.postgres(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, teamId);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    values.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return values;
    }
}
