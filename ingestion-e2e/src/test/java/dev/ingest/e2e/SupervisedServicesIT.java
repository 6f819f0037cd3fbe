package dev.ingest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.kafka.Topics;
import dev.ingest.common.testing.Poll;
import dev.ingest.common.testing.TestingPostgres;
import dev.ingest.common.testing.TestingStack;
import dev.ingest.e2e.hostile.HostileRequest;
import dev.ingest.e2e.hostile.RawHttp;
import dev.ingest.e2e.hostile.WellFormedTraffic;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The services as {@code ./platform up} runs them: {@code ./platform test} runs capture-service and decide-service
 * under supervisord behind the proxy. A crashed service comes back without a human (kill -9 under load: supervisord
 * starts a new process that answers again, and every event acknowledged before and after the crash is in Kafka),
 * and hundreds of stalled bodies at the public address hold nothing while well-formed traffic flows.
 */
class SupervisedServicesIT {
    private static final Duration BACK_WITHIN = Duration.ofSeconds(120);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void aKilledCaptureServiceIsStartedAgainAndNoAcknowledgedEventIsLost() throws Exception {
        URI capture = TestingStack.supervisedCaptureUrl();
        String token = createProject();
        Poll.until(BACK_WITHIN, () -> ready(capture), ready -> ready, "the supervised capture-service ready");
        long before = pid();
        Instant started = Instant.now().minusSeconds(5);

        Map<String, Boolean> acknowledged = new ConcurrentHashMap<>();
        AtomicInteger failed = new AtomicInteger();
        AtomicBoolean sending = new AtomicBoolean(true);
        Thread load = Thread.ofPlatform().name("supervised-load").start(() -> {
            while (sending.get()) {
                String uuid = UUID.randomUUID().toString();
                if (send(capture, token, uuid)) {
                    acknowledged.put(uuid, true);
                } else {
                    failed.incrementAndGet();
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        Poll.until(Duration.ofSeconds(30), acknowledged::size, n -> n >= 20, "events acknowledged before the crash");
        int beforeCrash = acknowledged.size();
        ProcessHandle.of(before).orElseThrow().destroyForcibly();

        long after = Poll.until(BACK_WITHIN, this::pidOrZero, pid -> pid != 0 && pid != before,
                "supervisord starting a new capture-service process");
        Poll.until(BACK_WITHIN, () -> ready(capture), ready -> ready, "the restarted capture-service ready");
        int atRestart = acknowledged.size();
        Poll.until(Duration.ofSeconds(30), acknowledged::size, n -> n >= atRestart + 20,
                "events acknowledged by the restarted process");
        sending.set(false);
        load.join();

        Set<String> inKafka = uuidsInKafka(started, acknowledged.keySet());
        assertThat(after).isNotEqualTo(before);
        assertThat(beforeCrash).isPositive();
        assertThat(acknowledged.keySet()).as("acknowledged events found in Kafka").isSubsetOf(inKafka);
        System.out.printf("supervised capture-service: pid %d killed, pid %d answering; %d acknowledged (%d before the"
                + " crash), %d refused or unanswered while it was down%n", before, after, acknowledged.size(), beforeCrash,
                failed.get());
    }

    /**
     * 300 clients that send the headers of a 20 MiB batch to the public address, one byte of body, and then nothing:
     * while they hang, well-formed SDK traffic through the same address is answered; each of them is ended by the
     * proxy or the service (never left open), and capture-service is the same process afterwards.
     */
    @Test
    void hundredsOfStalledBodiesAtThePublicAddressHoldNothingAndWellFormedTrafficFlows() throws Exception {
        URI publicUrl = TestingStack.publicUrl();
        String token = createProject();
        Poll.until(BACK_WITHIN, () -> ready(TestingStack.supervisedCaptureUrl()), ready -> ready, "capture ready");
        long before = pid();
        HostileRequest stalled = new HostileRequest("stalled 20 MiB body", HostileRequest.Target.CAPTURE, "POST", "/batch/",
                List.of(new HostileRequest.Header("Content-Type", "application/json"),
                        new HostileRequest.Header("Content-Length", Long.toString(20L * 1024 * 1024))), new byte[] {'{'}, 0);
        Map<String, Integer> outcomes = new ConcurrentHashMap<>();
        WellFormedTraffic traffic = new WellFormedTraffic(publicUrl, publicUrl, token, 2, Duration.ofMillis(20));
        WellFormedTraffic.Samples during;
        try (ExecutorService stallers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> stalls = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                stalls.add(stallers.submit(() -> {
                    RawHttp.Outcome outcome = RawHttp.exchange(publicUrl, stalled, Duration.ofSeconds(120));
                    String kind = switch (outcome) {
                        case RawHttp.Answered answered -> Integer.toString(answered.status());
                        case RawHttp.Closed closed -> "closed";
                        case RawHttp.TimedOut timedOut -> "still open after 120 s";
                    };
                    outcomes.merge(kind, 1, Integer::sum);
                }));
            }
            during = traffic.run(Duration.ofSeconds(20));
            for (Future<?> stall : stalls) {
                stall.get();
            }
        }
        System.out.printf("300 stalled bodies at the public address: %s; well-formed requests during them: %d capture,"
                + " %d flags, failures %s%n", outcomes, during.captureMillis().size(), during.decideMillis().size(),
                during.failures());
        assertThat(during.failures()).as("well-formed requests through the public address").isEmpty();
        assertThat(during.captureMillis()).isNotEmpty();
        assertThat(outcomes).doesNotContainKey("still open after 120 s");
        assertThat(outcomes.keySet()).allMatch(kind -> kind.equals("closed") || kind.startsWith("4"));
        assertThat(pid()).as("capture-service is the same process").isEqualTo(before);
    }

    private static String createProject() throws Exception {
        String token = "phc_public_" + UUID.randomUUID().toString().replace("-", "");
        try (Connection db = TestingPostgres.connect(TestingStack.postgresUrl());
                PreparedStatement insert = db.prepareStatement(
                        "INSERT INTO team (uuid, name, api_token) VALUES (gen_random_uuid(), 'supervised', ?)")) {
            insert.setString(1, token);
            insert.executeUpdate();
        }
        return token;
    }

    private boolean send(URI capture, String token, String uuid) {
        String body = "{\"api_key\":\"" + token + "\",\"event\":\"supervised\",\"distinct_id\":\"s\",\"uuid\":\"" + uuid
                + "\"}";
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(capture.resolve("/e/"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean ready(URI service) {
        try {
            return http.send(HttpRequest.newBuilder(service.resolve("/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private long pid() {
        long pid = pidOrZero();
        assertThat(pid).as("supervisord's pid of capture-service").isPositive();
        return pid;
    }

    /** supervisorctl's pid of the program; 0 while it is not running. */
    private long pidOrZero() {
        try {
            Process process = new ProcessBuilder("supervisorctl", "-c", TestingStack.supervisorConf(), "pid",
                    "capture-service").redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            process.waitFor();
            return out.matches("\\d+") ? Long.parseLong(out) : 0;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** The uuid headers of the main topic's records since {@code since}, read until every wanted one is seen. */
    private static Set<String> uuidsInKafka(Instant since, Set<String> wanted) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestingStack.kafkaBootstrapServers());
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Set<String> seen = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS_PLUGIN_INGESTION).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> times = new HashMap<>();
            partitions.forEach(p -> times.put(p, since.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(times);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            for (TopicPartition partition : partitions) {
                OffsetAndTimestamp offset = offsets.get(partition);
                consumer.seek(partition, offset == null ? ends.get(partition) : offset.offset());
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!seen.containsAll(wanted) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    Header uuid = record.headers().lastHeader("uuid");
                    if (uuid != null) {
                        seen.add(new String(uuid.value(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return seen;
    }
}
