package dev.ingest.bench;

import dev.ingest.common.event.CapturedEvent;
import dev.ingest.common.json.Json;
import dev.ingest.common.kafka.Topics;
import dev.ingest.plugin.PluginApplication;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * plugin-service alone, consuming a prepared backlog, against a pass-through consumer -> producer with no processing on
 * the same messages, measured in the same run. Two mixes: the headline {@link SessionMix} (product traffic in sessions,
 * mostly known persons) and the worst case {@link FirstSightMix} (nearly every event meets a new person).
 */
final class PluginBenchmark {
    private static final String PASS_THROUGH_TOPIC = "bench_pass_through";
    private static final int MAX_WARM_UP_PASSES = 40;

    private final Environment environment;
    private final int repetitions;
    private final int events;

    PluginBenchmark(Environment environment, int repetitions, int events) {
        this.environment = environment;
        this.repetitions = repetitions;
        this.events = events;
    }

    /** One mode's measurements: the service's and the pass-through's rates per repetition, and the last run's details. */
    private record Measured(Mix mix, List<Double> plugin, List<Double> passThrough, String stepTimes, String personUpdates,
            String cpuUse, String warmUp) {
        double ratio() {
            return Stats.median(plugin) / Stats.median(passThrough);
        }
    }

    String run() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, environment.kafka()))) {
            if (!admin.listTopics().names().get().contains(PASS_THROUGH_TOPIC)) {
                admin.createTopics(List.of(new NewTopic(PASS_THROUGH_TOPIC, 8, (short) 1))).all().get();
            }
        }
        // The headline mix twice, each on a database of its own and against its own pass-through runs: with definitions
        // (the default) and without. -Dbench.definitions-first=false runs the mode without them first, to tell the
        // cost of definitions from the cost of being the second application context of the run. Then the worst case.
        boolean withFirst = Boolean.parseBoolean(System.getProperty("bench.definitions-first", "true"));
        if (Boolean.getBoolean("bench.plugin.headline-only")) {
            // For profiling one mode: the realistic mix with definitions, nothing else.
            Measured headline = measure(new SessionMix(1), true);
            return String.format(Locale.ROOT, "### plugin-service, realistic mix only%n%nplugin runs %s, pass-through runs %s (%.2f);"
                    + " steps: %s; CPU: %s; warm-up: %s%n", headline.plugin(), headline.passThrough(), headline.ratio(),
                    headline.stepTimes(), headline.cpuUse(), headline.warmUp());
        }
        Measured first = measure(new SessionMix(1), withFirst);
        Measured second = measure(new SessionMix(1), !withFirst);
        Measured with = withFirst ? first : second;
        Measured without = withFirst ? second : first;
        Measured worst = measure(new FirstSightMix(), true);
        double baseline = Stats.median(with.passThrough());
        StringBuilder out = new StringBuilder();
        out.append("### plugin-service (").append(repetitions).append(" repetitions of ").append(String.format(Locale.ROOT, "%,d", events))
                .append(" events produced as fast as possible to the running service, timed from the first message to the last"
                        + " committed offset, after uncounted warm-up passes; medians)\n\n");
        out.append("Headline mix, ").append(with.mix().describe()).append(".\n\nWorst-case mix, ")
                .append(worst.mix().describe()).append(".\n\n");
        out.append("| measurement | events/s | ratio to its pass-through |\n|---|---|---|\n");
        out.append(String.format(Locale.ROOT, "| pass-through consumer -> producer, no processing | %,.0f | 1.00 |%n", baseline));
        out.append(String.format(Locale.ROOT, "| plugin-service, realistic mix, full pipeline (persons in PostgreSQL, rows for"
                + " ClickHouse, definitions) | %,.0f | %.2f |%n", Stats.median(with.plugin()), with.ratio()));
        out.append(String.format(Locale.ROOT, "| the same without definitions (`ingest.plugin.definitions.enabled=false`; own"
                + " pass-through %,.0f) | %,.0f | %.2f |%n", Stats.median(without.passThrough()), Stats.median(without.plugin()),
                without.ratio()));
        out.append(String.format(Locale.ROOT, "| plugin-service, worst-case mix, full pipeline (own pass-through %,.0f) | %,.0f | %.2f |%n",
                Stats.median(worst.passThrough()), Stats.median(worst.plugin()), worst.ratio()));
        out.append(withFirst ? "\n(realistic mix measured with definitions first)\n" : "\n(realistic mix measured without definitions first)\n");
        out.append(String.format(Locale.ROOT, "%nwith definitions the pipeline's median is %.1f%% below its median without them"
                + " (the two pass-through medians differ by %.1f%%: the machine's noise).%n",
                100 * (1 - Stats.median(with.plugin()) / Stats.median(without.plugin())),
                100 * Math.abs(1 - Stats.median(with.passThrough()) / Stats.median(without.passThrough()))));
        for (Measured mode : List.of(with, without, worst)) {
            out.append(mode == with ? "\n**realistic mix, with definitions**" : mode == without ? "\n**realistic mix, without definitions**"
                    : "\n**worst-case mix, with definitions**").append("\n\n- plugin runs (events/s): ")
                    .append(mode.plugin().stream().map(v -> String.format(Locale.ROOT, "%,.0f", v)).toList())
                    .append(", spread ").append(Stats.spread(mode.plugin())).append("; pass-through runs: ")
                    .append(mode.passThrough().stream().map(v -> String.format(Locale.ROOT, "%,.0f", v)).toList()).append('\n');
            out.append("- time per step in the last run (total seconds over all events): ").append(mode.stepTimes()).append('\n');
            out.append("- person updates in the last run: ").append(mode.personUpdates()).append('\n');
            out.append("- CPU used during the last run, by process: ").append(mode.cpuUse()).append('\n');
            out.append("- warm-up: ").append(mode.warmUp()).append('\n');
        }
        return out.toString();
    }

    private Measured measure(Mix mix, boolean definitions) throws Exception {
        String label = "plugin (" + (mix instanceof SessionMix ? "realistic" : "worst-case") + " mix, definitions "
                + (definitions ? "on" : "off") + ")";
        String token = "phc_bench_plugin_" + UUID.randomUUID().toString().substring(0, 8);
        String postgresUrl = environment.createDatabase();
        List<Double> plugin = new ArrayList<>();
        String stepTimes = "";
        String personUpdates = "";
        String cpuUse = "";
        String warmUp;
        List<Double> passThrough = new ArrayList<>();
        // One consumer group for every repetition, starting at the current end of the topic: each run consumes
        // exactly the backlog produced for it.
        String group = "bench-plugin-" + UUID.randomUUID();
        commitAtEnd(group);
        try (ConfigurableApplicationContext context = PluginApplication.builder().run("--server.port=0",
                "--spring.main.banner-mode=off", "--logging.level.root=WARN", "--spring.datasource.url=" + postgresUrl,
                "--spring.datasource.username=" + environment.postgresUser(),
                "--spring.kafka.bootstrap-servers=" + environment.kafka(), "--ingest.plugin.kafka.group-id=" + group,
                "--ingest.plugin.definitions.enabled=" + definitions,
                "--ingest.plugin.lanes.main-concurrency=" + System.getProperty("bench.concurrency", "4"))) {
            environment.insertProject(postgresUrl, token);
            // Sustained rate: the service is up and its consumers have their partitions before the backlog arrives;
            // the clock runs from the first message produced to the last offset committed. One uncounted pass first,
            // so the runs measure the service as it runs for hours (compiled by the JIT), not its first minute.
            awaitMembers(group);
            int[] passes = {0};
            warmUp = WarmUp.untilCompilersQuiet(label, MAX_WARM_UP_PASSES, () -> {
                long started = System.nanoTime();
                produce(backlog(mix, token, -++passes[0], false));
                awaitCaughtUp(group);
                return String.format(Locale.ROOT, "%,.0f events/s", events / ((System.nanoTime() - started) / 1e9));
            });
            for (int rep = 0; rep < repetitions; rep++) {
                Map<TopicPartition, Long> start = endOffsets();
                List<ProducerRecord<String, byte[]>> backlog = backlog(mix, token, rep, false);
                CpuUse.awaitQuiet(Duration.ofSeconds(30));
                Map<String, Double> stepsBefore = stepSeconds(context);
                Map<String, Double> updatesBefore = personUpdates(context);
                CpuUse cpu = CpuUse.start();
                long started = System.nanoTime();
                produce(backlog);
                awaitCaughtUp(group);
                double seconds = (System.nanoTime() - started) / 1e9;
                plugin.add(events / seconds);
                cpuUse = cpu.report(events) + String.format(Locale.ROOT, "out of %.1f s on %d cores", seconds,
                        Runtime.getRuntime().availableProcessors());
                stepTimes = stepTimes(stepsBefore, stepSeconds(context));
                personUpdates = personUpdates(updatesBefore, personUpdates(context));
                // The baseline on a machine as quiet as the service found it: not while ClickHouse ingests this run's rows.
                CpuUse.awaitQuiet(Duration.ofSeconds(30));
                passThrough.add(passThroughRate(start));
                Progress.say(label, String.format(Locale.ROOT, "repetition %d/%d: %,.0f events/s, pass-through %,.0f (%.2f)",
                        rep + 1, repetitions, plugin.getLast(), passThrough.getLast(), plugin.getLast() / passThrough.getLast()));
            }
        }
        return new Measured(mix, plugin, passThrough, stepTimes, personUpdates, cpuUse, warmUp);
    }

    /** The JS transformation of the apps benchmark: a typical small edit of every event. */
    private static final String JS_APP = """
            function processEvent(event, meta) {
              event.properties.plan_tier = (event.properties.amount || 0) > 250 ? 'high' : 'low';
              if (event.properties.$current_url) {
                event.properties.path = event.properties.$current_url.replace(/^https?:\\/\\/[^/]+/, '');
              }
              return event;
            }
            """;

    /**
     * Issue 6's comparison: the same mix (from public IPs) through the same running service for a project without
     * apps and for one with GeoIP + property flattener + one JS transformation, alternating which goes first.
     */
    String runApps() throws Exception {
        String plainToken = "phc_bench_plain_" + UUID.randomUUID().toString().substring(0, 8);
        String appsToken = "phc_bench_apps_" + UUID.randomUUID().toString().substring(0, 8);
        String postgresUrl = environment.createDatabase();
        String geoip = System.getenv("GEOIP_DATABASE");
        if (geoip == null || geoip.isBlank()) {
            throw new IllegalStateException("GEOIP_DATABASE is not set: run ./platform bench apps");
        }
        String group = "bench-apps-" + UUID.randomUUID();
        commitAtEnd(group);
        List<Double> plain = new ArrayList<>();
        List<Double> withApps = new ArrayList<>();
        String appTimes = "";
        try (ConfigurableApplicationContext context = PluginApplication.builder().run("--server.port=0",
                "--spring.main.banner-mode=off", "--logging.level.root=WARN", "--spring.datasource.url=" + postgresUrl,
                "--spring.datasource.username=" + environment.postgresUser(),
                "--spring.kafka.bootstrap-servers=" + environment.kafka(), "--ingest.plugin.kafka.group-id=" + group,
                "--ingest.plugin.destinations.enabled=false", "--ingest.plugin.geoip.database-path=" + geoip,
                "--ingest.plugin.lanes.main-concurrency=" + System.getProperty("bench.concurrency", "4"))) {
            environment.insertProject(postgresUrl, 1, plainToken);
            environment.insertProject(postgresUrl, 2, appsToken);
            environment.insertApp(postgresUrl, 2, "geoip", "{}", 0);
            environment.insertApp(postgresUrl, 2, "property-flattener", "{}", 1);
            environment.insertApp(postgresUrl, 2, "js", Json.write(Map.of("source", JS_APP)), 2);
            awaitMembers(group);
            // A warm-up pass of each (JIT, the JS engine, caches), not counted.
            Mix mix = new FirstSightMix();
            timedBacklog(mix, group, plainToken, -1);
            timedBacklog(mix, group, appsToken, -2);
            for (int rep = 0; rep < repetitions; rep++) {
                if (rep % 2 == 0) {
                    plain.add(timedBacklog(mix, group, plainToken, rep));
                    withApps.add(timedBacklog(mix, group, appsToken, rep));
                } else {
                    withApps.add(timedBacklog(mix, group, appsToken, rep));
                    plain.add(timedBacklog(mix, group, plainToken, rep));
                }
                Progress.say("apps", String.format(Locale.ROOT, "repetition %d/%d: without apps %,.0f events/s, with apps %,.0f",
                        rep + 1, repetitions, plain.getLast(), withApps.getLast()));
            }
            var registry = context.getBean(MeterRegistry.class);
            StringBuilder times = new StringBuilder();
            for (var timer : registry.find("ingest_plugin_app_seconds").timers()) {
                times.append(timer.getId().getTag("app")).append(' ').append(String.format(Locale.ROOT, "%.1f µs/event; ",
                        timer.mean(TimeUnit.MICROSECONDS)));
            }
            appTimes = times.toString();
        }
        double plainMedian = Stats.median(plain);
        double appsMedian = Stats.median(withApps);
        StringBuilder out = new StringBuilder();
        out.append("### plugin-service with apps (").append(repetitions).append(" repetitions of ")
                .append(String.format(Locale.ROOT, "%,d", events)).append(" events each way, same service, medians)\n\n");
        out.append("| measurement | events/s | ratio to no apps |\n|---|---|---|\n");
        out.append(String.format(Locale.ROOT, "| project without apps | %,.0f | 1.00 |%n", plainMedian));
        out.append(String.format(Locale.ROOT, "| project with geoip + property-flattener + one js processEvent | %,.0f | %.2f |%n",
                appsMedian, appsMedian / plainMedian));
        out.append("\nmean time per app call: ").append(appTimes).append('\n');
        out.append("\nruns without apps: ").append(plain.stream().map(v -> String.format(Locale.ROOT, "%,.0f", v)).toList())
                .append("; with apps: ").append(withApps.stream().map(v -> String.format(Locale.ROOT, "%,.0f", v)).toList())
                .append('\n');
        return out.toString();
    }

    private double timedBacklog(Mix mix, String group, String token, int rep) throws Exception {
        List<ProducerRecord<String, byte[]>> backlog = backlog(mix, token, rep, true);
        long started = System.nanoTime();
        produce(backlog);
        awaitCaughtUp(group);
        return events / ((System.nanoTime() - started) / 1e9);
    }

    /** Seconds spent in each pipeline step so far (the step timers' totals). */
    private static Map<String, Double> stepSeconds(ConfigurableApplicationContext context) {
        var registry = context.getBean(MeterRegistry.class);
        Map<String, Double> seconds = new TreeMap<>();
        for (var timer : registry.find("ingest_plugin_step_seconds").timers()) {
            seconds.put(timer.getId().getTag("step"), timer.totalTime(TimeUnit.SECONDS));
        }
        return seconds;
    }

    /** The person updates plugin-service decided so far, by outcome (written, unwritten). */
    private static Map<String, Double> personUpdates(ConfigurableApplicationContext context) {
        Map<String, Double> counts = new TreeMap<>();
        for (var counter : context.getBean(MeterRegistry.class).find("ingest_plugin_person_updates").functionCounters()) {
            counts.put(counter.getId().getTag("outcome"), counter.count());
        }
        return counts;
    }

    private static String personUpdates(Map<String, Double> before, Map<String, Double> after) {
        double written = after.getOrDefault("written", 0.0) - before.getOrDefault("written", 0.0);
        double unwritten = after.getOrDefault("unwritten", 0.0) - before.getOrDefault("unwritten", 0.0);
        return String.format(Locale.ROOT, "%,.0f written, %,.0f left unwritten by the lean-write rule (%.0f%% fewer writes"
                + " of existing persons)", written, unwritten, written + unwritten == 0 ? 0 : 100 * unwritten / (written + unwritten));
    }

    private static String stepTimes(Map<String, Double> before, Map<String, Double> after) {
        StringBuilder out = new StringBuilder();
        after.forEach((step, total) -> out.append(step).append(' ')
                .append(String.format(Locale.ROOT, "%.2f", total - before.getOrDefault(step, 0.0))).append("; "));
        return out.toString();
    }

    /**
     * The mix, as capture would have written it (with its headers), for events_plugin_ingestion. Built before the
     * clock starts: generating it costs the JVM as much CPU as a good part of the processing it measures.
     * {@code publicIps}: each event from one of 10,000 public IPv4 addresses (GeoIP finds them) instead of loopback.
     */
    private List<ProducerRecord<String, byte[]>> backlog(Mix mix, String token, int pass, boolean publicIps) {
        String now = Instant.now().toString();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(events);
        for (MixEvent event : mix.next(token, events, pass)) {
            int device = event.device();
            String ip = publicIps ? "81." + (device % 100) + "." + (device / 100 % 100) + "." + (1 + device % 250) : "127.0.0.1";
            CapturedEvent captured = new CapturedEvent(event.uuid(), event.distinctId(), ip, event.data(), now, null, token, null,
                    event.name(), null, null);
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.EVENTS_PLUGIN_INGESTION,
                    token + ":" + event.distinctId(), Json.writeBytes(captured));
            // The headers capture writes on every message (the plugin service prefetches persons from them).
            record.headers().add("token", token.getBytes(StandardCharsets.UTF_8));
            record.headers().add("distinct_id", event.distinctId().getBytes(StandardCharsets.UTF_8));
            record.headers().add("event", event.name().getBytes(StandardCharsets.UTF_8));
            record.headers().add("uuid", event.uuid().getBytes(StandardCharsets.UTF_8));
            records.add(record);
        }
        return records;
    }

    /** Appends the prepared backlog to events_plugin_ingestion as fast as the producer goes. */
    private void produce(List<ProducerRecord<String, byte[]>> backlog) {
        Properties config = new Properties();
        config.putAll(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, environment.kafka(), ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4", ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
            backlog.forEach(producer::send);
        }
    }

    private Map<TopicPartition, Long> endOffsets() {
        Properties config = new Properties();
        config.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, environment.kafka(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS_PLUGIN_INGESTION).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            return consumer.endOffsets(partitions);
        }
    }

    private void commitAtEnd(String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        endOffsets().forEach((partition, offset) -> offsets.put(partition, new OffsetAndMetadata(offset)));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, environment.kafka()))) {
            admin.alterConsumerGroupOffsets(group, offsets).all().get();
        }
    }

    /** Copies this run's backlog (from {@code start} to the end) to a scratch topic: the cost of Kafka alone. */
    private double passThroughRate(Map<TopicPartition, Long> start) {
        Properties consumerConfig = new Properties();
        consumerConfig.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, environment.kafka(),
                ConsumerConfig.GROUP_ID_CONFIG, "bench-pass-" + UUID.randomUUID(), ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        Properties producerConfig = new Properties();
        producerConfig.putAll(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, environment.kafka(), ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4", ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig);
                KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerConfig)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS_PLUGIN_INGESTION).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            for (TopicPartition partition : partitions) {
                consumer.seek(partition, start.getOrDefault(partition, 0L));
            }
            long started = System.nanoTime();
            long copied = 0;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    producer.send(new ProducerRecord<>(PASS_THROUGH_TOPIC, record.key(), record.value()));
                    copied++;
                }
            }
            producer.flush();
            return copied / ((System.nanoTime() - started) / 1e9);
        }
    }

    private void awaitMembers(String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, environment.kafka()))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                var description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                long assigned = description.members().stream().mapToLong(m -> m.assignment().topicPartitions().size()).sum();
                if (assigned > 0 && description.groupState() == GroupState.STABLE) {
                    return;
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException("the plugin service's consumers never joined group " + group);
        }
    }

    private void awaitCaughtUp(String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, environment.kafka()))) {
            while (true) {
                var committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                admin.describeTopics(List.of(Topics.EVENTS_PLUGIN_INGESTION)).allTopicNames().get().get(Topics.EVENTS_PLUGIN_INGESTION)
                        .partitions().forEach(p -> latest.put(new TopicPartition(Topics.EVENTS_PLUGIN_INGESTION, p.partition()),
                                OffsetSpec.latest()));
                long lag = 0;
                for (var entry : admin.listOffsets(latest).all().get().entrySet()) {
                    var offset = committed.get(entry.getKey());
                    lag += entry.getValue().offset() - (offset == null ? 0 : offset.offset());
                }
                if (lag == 0) {
                    return;
                }
                Thread.sleep(100);
            }
        }
    }
}
