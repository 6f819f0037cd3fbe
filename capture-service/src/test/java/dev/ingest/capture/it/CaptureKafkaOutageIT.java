package dev.ingest.capture.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.kafka.Topics;
import dev.ingest.common.testing.TestingFaults;
import dev.ingest.common.testing.TopicTail;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The promise of a 2xx: stop the real broker while events are being sent. Capture answers 503 within its bound (never
 * hangs, never 200s), answers 200 again once the broker is back, and every event that got a 200 is on the topic
 * exactly once.
 */
class CaptureKafkaOutageIT {
    private static final long BOUND_MILLIS = 5_000 + 1_500;

    private record Outcome(String uuid, int status, long millis, long at) {}

    @Test
    void brokerOutageGivesBoundedServiceUnavailableAndLosesNoAcknowledgedEvent() throws Exception {
        TestingCapture capture = TestingCapture.get();
        String token = TestingCapture.newToken();
        capture.createProject(token);
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService senders = Executors.newFixedThreadPool(4);
        try (TopicTail tail = new TopicTail(Topics.EVENTS_PLUGIN_INGESTION)) {
            for (int thread = 0; thread < 4; thread++) {
                int sender = thread;
                senders.submit(() -> {
                    while (running.get()) {
                        String uuid = UUID.randomUUID().toString();
                        String body = "{\"api_key\":\"" + token + "\",\"event\":\"outage\",\"distinct_id\":\"sender-" + sender
                                + "\",\"uuid\":\"" + uuid + "\"}";
                        long started = System.nanoTime();
                        int status;
                        try {
                            HttpResponse<String> response = capture.post("/e/", body.getBytes(StandardCharsets.UTF_8),
                                    "Content-Type", "application/json");
                            status = response.statusCode();
                        } catch (RuntimeException e) {
                            status = -1;
                        }
                        outcomes.add(new Outcome(uuid, status, (System.nanoTime() - started) / 1_000_000, System.nanoTime()));
                    }
                });
            }
            Thread.sleep(2_000);
            long stoppedAt = System.nanoTime();
            TestingFaults.stop("kafka");
            Thread.sleep(7_000);
            TestingFaults.start("kafka");
            long restartedAt = System.nanoTime();
            long deadline = restartedAt + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && outcomes.stream().noneMatch(o -> o.at() > restartedAt && o.status() == 200)) {
                Thread.sleep(200);
            }
            Thread.sleep(2_000);
            running.set(false);
            senders.shutdown();
            assertThat(senders.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

            List<Outcome> all = List.copyOf(outcomes);
            Map<Integer, Long> byStatus = all.stream().collect(Collectors.groupingBy(Outcome::status, Collectors.counting()));
            assertThat(byStatus.keySet()).as("only 200 and 503, never a hang or another status: %s", byStatus)
                    .isSubsetOf(Set.of(200, 503));
            assertThat(byStatus.getOrDefault(503, 0L)).as("the outage was seen").isPositive();
            assertThat(all.stream().filter(o -> o.at() > restartedAt && o.status() == 200)).as("recovered").isNotEmpty();
            assertThat(all.stream().filter(o -> o.at() > stoppedAt).mapToLong(Outcome::millis).max().orElse(0))
                    .as("every answer within the bound").isLessThanOrEqualTo(BOUND_MILLIS);

            List<String> acknowledged = all.stream().filter(o -> o.status() == 200).map(Outcome::uuid).toList();
            List<ConsumerRecord<String, byte[]>> records = tail.await(
                    r -> (token + ":").regionMatches(0, r.key() == null ? "" : r.key(), 0, token.length() + 1),
                    acknowledged.size(), Duration.ofSeconds(60));
            Map<String, Integer> copies = new HashMap<>();
            for (ConsumerRecord<String, byte[]> record : tail.drain(r -> r.key() != null && r.key().startsWith(token + ":"),
                    Duration.ofSeconds(2))) {
                String value = new String(record.value(), StandardCharsets.UTF_8);
                String uuid = value.substring(value.indexOf("\"uuid\":\"") + 8, value.indexOf("\"uuid\":\"") + 44);
                copies.merge(uuid, 1, Integer::sum);
            }
            assertThat(records.size()).isGreaterThanOrEqualTo(acknowledged.size());
            for (String uuid : acknowledged) {
                assertThat(copies.getOrDefault(uuid, 0)).as("copies of acknowledged event %s", uuid).isEqualTo(1);
            }
        } finally {
            running.set(false);
            senders.shutdownNow();
            TestingFaults.start("kafka");
        }
    }
}
