package dev.ingest.bench;

import dev.ingest.capture.CaptureApplication;
import dev.ingest.common.event.CapturedEvent;
import dev.ingest.common.json.Json;
import dev.ingest.common.kafka.Topics;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * capture-service under posthog-js-shaped load, against the raw Kafka producer rate for the same serialized
 * messages on the same broker, measured in the same run (issue: capture benchmark).
 */
final class CaptureBenchmark {
    private static final int DISTINCT_IDS = 10_000;
    private static final int BATCH_SIZE = 50;
    private static final int MAX_WARM_UP_PASSES = 12;
    private static final Duration WARM_UP_PHASE = Duration.ofSeconds(4);

    private final Environment environment;
    private final int repetitions;
    private final Duration phase;

    CaptureBenchmark(Environment environment, int repetitions, Duration phase) {
        this.environment = environment;
        this.repetitions = repetitions;
        this.phase = phase;
    }

    String run() throws Exception {
        String token = "phc_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String postgresUrl = environment.createDatabase();
        ConfigurableApplicationContext capture = CaptureApplication.builder().run(
                "--server.port=0", "--spring.main.banner-mode=off", "--logging.level.root=WARN",
                "--spring.datasource.url=" + postgresUrl, "--spring.datasource.username=" + environment.postgresUser(),
                "--spring.kafka.bootstrap-servers=" + environment.kafka());
        try {
            environment.insertProject(postgresUrl, token);
            URI base = URI.create("http://127.0.0.1:" + capture.getEnvironment().getProperty("local.server.port"));
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<byte[]> batches = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                batches.add(Payloads.gzip(Payloads.batch(token, BATCH_SIZE, DISTINCT_IDS)));
            }
            List<byte[]> singles = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                String event = Payloads.pageview(token, DISTINCT_IDS);
                singles.add(("{\"api_key\":\"" + token + "\"," + event.substring(1)).getBytes(StandardCharsets.UTF_8));
            }
            List<byte[]> messages = new ArrayList<>();
            for (int i = 0; i < 20_000; i++) {
                String data = Payloads.pageview(token, DISTINCT_IDS);
                messages.add(Json.writeBytes(new CapturedEvent(UUID.randomUUID().toString(), "d" + (i % DISTINCT_IDS),
                        "127.0.0.1", data, Instant.now().toString(), null, token, 1L, "$pageview", null, null)));
            }
            // Warm-up: connections and producer metadata, then the JIT until the compilers are quiet (each pass one
            // short phase of each load, from wrk when it is there so the load generator does not compile in this JVM).
            boolean wrk = WrkRun.available();
            String warmUp = WarmUp.untilCompilersQuiet("capture", MAX_WARM_UP_PASSES, () -> {
                double batchRate;
                double singleRate;
                if (wrk) {
                    batchRate = WrkRun.run(base.resolve("/batch/"), "POST", List.of("Content-Type: application/json",
                            "Content-Encoding: gzip"), batches.subList(0, 20), 8, WARM_UP_PHASE).requestsPerSecond() * BATCH_SIZE;
                    singleRate = WrkRun.run(base.resolve("/e/"), "POST", List.of("Content-Type: application/json"),
                            singles.subList(0, 200), 64, WARM_UP_PHASE).requestsPerSecond();
                } else {
                    batchRate = LoadRun.run(http, base.resolve("/batch/"), "application/json", "gzip",
                            i -> batches.get(i % batches.size()), 8, WARM_UP_PHASE, 0).requestsPerSecond() * BATCH_SIZE;
                    singleRate = LoadRun.run(http, base.resolve("/e/"), "application/json", null,
                            i -> singles.get(i % singles.size()), 64, WARM_UP_PHASE, 0).requestsPerSecond();
                }
                return String.format(Locale.ROOT, "batches %,.0f events/s, single events %,.0f req/s", batchRate, singleRate);
            });

            List<Double> raw = new ArrayList<>();
            List<Double> batched = new ArrayList<>();
            List<Double> batchP50 = new ArrayList<>();
            List<Double> batchP99 = new ArrayList<>();
            List<Double> single = new ArrayList<>();
            List<Double> singleP50 = new ArrayList<>();
            List<Double> singleP99 = new ArrayList<>();
            long failures = 0;
            for (int rep = 0; rep < repetitions; rep++) {
                raw.add(rawProducerRate(messages, 300_000));
                if (wrk) {
                    WrkRun.Result b = WrkRun.run(base.resolve("/batch/"), "POST", List.of("Content-Type: application/json",
                            "Content-Encoding: gzip"), batches.subList(0, 20), 8, phase);
                    batched.add(b.requestsPerSecond() * BATCH_SIZE);
                    batchP50.add(b.p50Millis());
                    batchP99.add(b.p99Millis());
                    WrkRun.Result s = WrkRun.run(base.resolve("/e/"), "POST", List.of("Content-Type: application/json"),
                            singles.subList(0, 200), 64, phase);
                    single.add(s.requestsPerSecond());
                    singleP50.add(s.p50Millis());
                    singleP99.add(s.p99Millis());
                    failures += b.errors() + s.errors();
                } else {
                    LoadRun.Result b = LoadRun.run(http, base.resolve("/batch/"), "application/json", "gzip",
                            i -> batches.get(i % batches.size()), 8, phase, 0);
                    batched.add(b.requestsPerSecond() * BATCH_SIZE);
                    batchP50.add(Stats.percentile(b.latencyNanos(), 50));
                    batchP99.add(Stats.percentile(b.latencyNanos(), 99));
                    LoadRun.Result s = LoadRun.run(http, base.resolve("/e/"), "application/json", null,
                            i -> singles.get(i % singles.size()), 64, phase, 0);
                    single.add(s.requestsPerSecond());
                    singleP50.add(Stats.percentile(s.latencyNanos(), 50));
                    singleP99.add(Stats.percentile(s.latencyNanos(), 99));
                    failures += b.failures() + s.failures();
                }
                Progress.say("capture", String.format(Locale.ROOT, "repetition %d/%d: raw producer %,.0f msgs/s, batches %,.0f"
                        + " events/s (%.2f), single events %,.0f req/s", rep + 1, repetitions, raw.getLast(), batched.getLast(),
                        batched.getLast() / raw.getLast(), single.getLast()));
            }
            double maxSingle = Stats.median(single);
            List<Double> halfP50 = new ArrayList<>();
            List<Double> halfP99 = new ArrayList<>();
            List<Double> halfRate = new ArrayList<>();
            // The paced load comes from this JVM's HttpClient: one uncounted phase compiles it first.
            LoadRun.run(http, base.resolve("/e/"), "application/json", null, i -> singles.get(i % singles.size()), 64,
                    WARM_UP_PHASE, maxSingle / 2);
            for (int rep = 0; rep < repetitions; rep++) {
                LoadRun.Result h = LoadRun.run(http, base.resolve("/e/"), "application/json", null,
                        i -> singles.get(i % singles.size()), 64, phase, maxSingle / 2);
                halfRate.add(h.requestsPerSecond());
                halfP50.add(Stats.percentile(h.latencyNanos(), 50));
                halfP99.add(Stats.percentile(h.latencyNanos(), 99));
                failures += h.failures();
                Progress.say("capture", String.format(Locale.ROOT, "half-load repetition %d/%d: %,.0f req/s, p99 %.1f ms",
                        rep + 1, repetitions, halfRate.getLast(), halfP99.getLast()));
            }
            double rawMedian = Stats.median(raw);
            StringBuilder out = new StringBuilder();
            out.append("### capture-service (").append(repetitions).append(" repetitions of ").append(phase.toSeconds())
                    .append(" s per phase, medians; maximum-rate load from ").append(wrk ? WrkRun.describe() : "the JVM's HttpClient")
                    .append(", paced load from the JVM's HttpClient)\n\n");
            out.append("| measurement | events/s | req/s | p50 ms | p99 ms | ratio to raw producer |\n|---|---|---|---|---|---|\n");
            out.append(row("raw Kafka producer, same messages, acks=all + idempotence + lz4", rawMedian, Double.NaN,
                    Double.NaN, Double.NaN, 1.0));
            double batchedMedian = Stats.median(batched);
            out.append(row("capture, gzip batches of 50 (`POST /batch/`, 8 connections)", batchedMedian,
                    batchedMedian / BATCH_SIZE, Stats.median(batchP50), Stats.median(batchP99), batchedMedian / rawMedian));
            out.append(row("capture, single events (`POST /e/`, 64 connections)", maxSingle, maxSingle,
                    Stats.median(singleP50), Stats.median(singleP99), maxSingle / rawMedian));
            out.append(row(String.format(Locale.ROOT, "capture, single events paced at half the maximum (%.0f req/s target)",
                    maxSingle / 2), Stats.median(halfRate), Stats.median(halfRate), Stats.median(halfP50),
                    Stats.median(halfP99), Stats.median(halfRate) / rawMedian));
            out.append("\nnon-2xx or failed requests during the measured phases: ").append(failures).append("\n");
            out.append("\nspread over the repetitions: raw producer ").append(Stats.spread(raw)).append(" msgs/s; batches ")
                    .append(Stats.spread(batched)).append(" events/s; single events ").append(Stats.spread(single))
                    .append(" req/s; half load p99 ").append(halfP99.stream().map(CaptureBenchmark::decimal).toList()).append(" ms\n");
            out.append("raw producer runs (msgs/s): ").append(format(raw)).append("; batched capture runs (events/s): ")
                    .append(format(batched)).append("; single-event runs (req/s): ").append(format(single)).append("\n");
            out.append("\nwarm-up: ").append(warmUp).append('\n');
            return out.toString();
        } finally {
            capture.close();
        }
    }

    private double rawProducerRate(List<byte[]> messages, int count) {
        Properties config = new Properties();
        config.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, environment.kafka(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.LINGER_MS_CONFIG, 2,
                ProducerConfig.BATCH_SIZE_CONFIG, 65536,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(Topics.EVENTS_PLUGIN_INGESTION, "warm", messages.getFirst()));
            producer.flush();
            long started = System.nanoTime();
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(Topics.EVENTS_PLUGIN_INGESTION, "bench:d" + (i % DISTINCT_IDS),
                        messages.get(i % messages.size())));
            }
            producer.flush();
            return count / ((System.nanoTime() - started) / 1e9);
        }
    }

    private static String row(String name, double events, double requests, double p50, double p99, double ratio) {
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %.2f |%n", name, number(events), number(requests),
                decimal(p50), decimal(p99), ratio);
    }

    private static String number(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String decimal(double value) {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String format(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%,.0f", v)).toList().toString();
    }
}
