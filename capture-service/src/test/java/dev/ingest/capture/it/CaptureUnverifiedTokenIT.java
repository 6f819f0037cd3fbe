package dev.ingest.capture.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.capture.CaptureApplication;
import dev.ingest.capture.tools.ReplayUnverified;
import dev.ingest.common.json.Json;
import dev.ingest.common.kafka.Topics;
import dev.ingest.common.testing.TestingStack;
import dev.ingest.common.testing.TopicTail;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * PostgreSQL is down and the token was never seen: capture neither rejects the event for our outage nor loses it. It
 * is parked on capture_events_dead_letter and replayed, with its team_id, once the token can be checked.
 */
class CaptureUnverifiedTokenIT {
    @Test
    void eventsAcceptedWhilePostgresIsDownAreParkedAndReplayedOnceTheTokenIsKnown() throws Exception {
        TestingCapture healthy = TestingCapture.get();
        String token = TestingCapture.newToken();
        String uuid = UUID.randomUUID().toString();
        ConfigurableApplicationContext blind = CaptureApplication.builder().run(
                "--server.port=0", "--spring.main.banner-mode=off",
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/unreachable",
                "--spring.datasource.hikari.connection-timeout=500",
                "--spring.flyway.enabled=false",
                "--spring.kafka.bootstrap-servers=" + TestingStack.kafkaBootstrapServers(),
                "--logging.level.org.apache.kafka=ERROR");
        try (TopicTail parked = new TopicTail(Topics.CAPTURE_EVENTS_DEAD_LETTER);
                TopicTail main = new TopicTail(Topics.EVENTS_PLUGIN_INGESTION)) {
            URI url = URI.create("http://127.0.0.1:" + blind.getEnvironment().getProperty("local.server.port") + "/e/");
            String body = "{\"api_key\":\"" + token + "\",\"event\":\"during outage\",\"distinct_id\":\"d1\",\"uuid\":\"" + uuid + "\"}";
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            ConsumerRecord<String, byte[]> waiting = parked.await(r -> text(r).contains(uuid), 1, Duration.ofSeconds(20)).getFirst();
            assertThat(Json.read(text(waiting)).has("team_id")).as("not verified yet").isFalse();
            assertThat(waiting.key()).isEqualTo(token + ":d1");

            long teamId = healthy.createProject(token);
            ReplayUnverified.run(TestingStack.kafkaBootstrapServers(), healthy.postgresUrl(), TestingStack.postgresUser(), TestingStack.postgresPassword());
            ConsumerRecord<String, byte[]> replayed = main.await(r -> text(r).contains(uuid), 1, Duration.ofSeconds(20)).getFirst();
            JsonNode message = Json.read(text(replayed));
            assertThat(message.get("team_id").asLong()).isEqualTo(teamId);
            assertThat(replayed.key()).isEqualTo(token + ":d1");
            assertThat(message.get("event").asString()).isEqualTo("during outage");
        } finally {
            blind.close();
        }
    }

    private static String text(ConsumerRecord<String, byte[]> record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }
}
