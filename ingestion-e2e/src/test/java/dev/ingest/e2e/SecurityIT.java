package dev.ingest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.clickhouse.client.ClickHouseHttpClient;
import dev.ingest.common.event.CapturedEvent;
import dev.ingest.common.json.Json;
import dev.ingest.common.kafka.Topics;
import dev.ingest.common.testing.Poll;
import dev.ingest.common.testing.TestingStack;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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

/** Projects never see or write each other's data; hostile strings are stored verbatim and stay harmless. */
class SecurityIT {
    private static final String INJECTION = "x'); DROP TABLE person; --\" OR 1=1 /* \\' \u0000";
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aMessageClaimingAnotherProjectsTeamIdIsDropped() throws Exception {
        TestingPlatform platform = TestingPlatform.get();
        TestingPlatform.TestProject a = platform.createProject("a");
        TestingPlatform.TestProject b = platform.createProject("b");
        String forged = UUID.randomUUID().toString();
        String honest = UUID.randomUUID().toString();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestingStack.kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            for (String[] message : new String[][] {{forged, Long.toString(b.id())}, {honest, Long.toString(a.id())}}) {
                CapturedEvent event = new CapturedEvent(message[0], "mallory", "127.0.0.1", "{\"event\":\"e\",\"distinct_id\":\"mallory\","
                        + "\"uuid\":\"" + message[0] + "\",\"properties\":{}}", Instant.now().toString(), null, a.token(),
                        Long.parseLong(message[1]), "e", null, null);
                producer.send(new ProducerRecord<>(Topics.EVENTS_PLUGIN_INGESTION, a.token() + ":mallory", Json.writeBytes(event))).get();
            }
        }
        ClickHouseHttpClient clickhouse = platform.clickhouse();
        Poll.until(Duration.ofSeconds(60), () -> clickhouse.scalarLong("SELECT count() FROM posthog.events WHERE toString(uuid) = '"
                + honest + "'"), count -> count == 1, "the honest message");
        platform.awaitPluginCaughtUp(Duration.ofSeconds(60));
        assertThat(clickhouse.scalarLong("SELECT count() FROM posthog.events WHERE toString(uuid) = '" + forged + "'"))
                .as("token of A with team_id of B").isZero();
        assertThat(clickhouse.scalarLong("SELECT count() FROM posthog.events WHERE team_id = " + b.id())).isZero();
    }

    @Test
    void injectionLookingDistinctIdsAndPropertiesAreStoredVerbatim() throws Exception {
        TestingPlatform platform = TestingPlatform.get();
        TestingPlatform.TestProject project = platform.createProject("injection");
        String uuid = UUID.randomUUID().toString();
        String body = "{\"api_key\":\"" + project.token() + "\",\"event\":" + Json.write(INJECTION) + ",\"distinct_id\":"
                + Json.write(INJECTION) + ",\"uuid\":\"" + uuid + "\",\"properties\":{\"$set\":{" + Json.write(INJECTION) + ":"
                + Json.write(INJECTION) + "}}}";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(platform.captureUrl().resolve("/e/"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        ClickHouseHttpClient clickhouse = platform.clickhouse();
        String expected = INJECTION.replace('\u0000', '\uFFFD');
        Poll.until(Duration.ofSeconds(60), () -> clickhouse.rows("SELECT distinct_id, event FROM posthog.events WHERE toString(uuid) = '"
                + uuid + "'"), rows -> rows.size() == 1, "the event");
        var row = clickhouse.rows("SELECT distinct_id FROM posthog.events WHERE toString(uuid) = '" + uuid + "'").getFirst();
        assertThat(row.get("distinct_id").asString()).isEqualTo(expected);
        try (Connection connection = platform.postgres();
                PreparedStatement query = connection.prepareStatement("SELECT p.properties ->> ? FROM person p JOIN person_distinct_id d"
                        + " ON d.person_id = p.id WHERE d.team_id = ? AND d.distinct_id = ?")) {
            // PostgreSQL stores no NUL, in text or jsonb: it arrives as U+FFFD, everything else verbatim.
            query.setString(1, expected);
            query.setLong(2, project.id());
            query.setString(3, expected);
            try (ResultSet rs = query.executeQuery()) {
                assertThat(rs.next()).as("the person of the hostile distinct id").isTrue();
                assertThat(rs.getString(1)).isEqualTo(expected);
            }
            try (PreparedStatement persons = connection.prepareStatement("SELECT count(*) FROM person")) {
                try (ResultSet rs = persons.executeQuery()) {
                    rs.next();
                    assertThat(rs.getLong(1)).as("the person table is still there").isPositive();
                }
            }
        }
    }
}
