package dev.ingest.bench;

import dev.ingest.decide.DecideApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * decide-service answering {@code POST /flags/?v=2} for 20 flags (rollout, property and multivariate mixed) over
 * 10,000 distinct ids, against the same server's trivial JSON endpoint ({@code GET /decide}) in the same run.
 */
final class DecideBenchmark {
    private static final int DISTINCT_IDS = 10_000;
    private static final int MAX_WARM_UP_PASSES = 12;
    private static final Duration WARM_UP_PHASE = Duration.ofSeconds(4);

    private final Environment environment;
    private final int repetitions;
    private final Duration phase;

    DecideBenchmark(Environment environment, int repetitions, Duration phase) {
        this.environment = environment;
        this.repetitions = repetitions;
        this.phase = phase;
    }

    String run() throws Exception {
        String token = "phc_bench_decide_" + UUID.randomUUID().toString().substring(0, 8);
        String postgresUrl = environment.createDatabase();
        ConfigurableApplicationContext decide = DecideApplication.builder().run("--server.port=0", "--spring.main.banner-mode=off",
                "--logging.level.root=WARN", "--spring.datasource.url=" + postgresUrl,
                "--spring.datasource.username=" + environment.postgresUser());
        try {
            environment.insertProject(postgresUrl, token);
            createFlags(postgresUrl);
            URI base = URI.create("http://127.0.0.1:" + decide.getEnvironment().getProperty("local.server.port"));
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            List<byte[]> bodies = new ArrayList<>();
            for (int i = 0; i < DISTINCT_IDS; i++) {
                bodies.add(("{\"token\":\"" + token + "\",\"distinct_id\":\"user-" + i + "\",\"person_properties\":{\"plan\":\""
                        + (i % 3 == 0 ? "pro" : "free") + "\",\"email\":\"u" + i + "@" + (i % 2 == 0 ? "corp.com" : "gmail.com")
                        + "\"},\"groups\":{}}").getBytes(StandardCharsets.UTF_8));
            }
            List<Double> flags = new ArrayList<>();
            List<Double> flagsP50 = new ArrayList<>();
            List<Double> flagsP99 = new ArrayList<>();
            List<Double> trivial = new ArrayList<>();
            long failures = 0;
            boolean wrk = WrkRun.available();
            // wrk rotates through these and numbers each request: __N__ spreads the requests over 10,000 distinct ids.
            List<byte[]> templates = List.of(
                    ("{\"token\":\"" + token + "\",\"distinct_id\":\"user-__N__\",\"person_properties\":{\"plan\":\"pro\","
                            + "\"email\":\"u__N__@corp.com\"},\"groups\":{}}").getBytes(StandardCharsets.UTF_8),
                    ("{\"token\":\"" + token + "\",\"distinct_id\":\"user-__N__\",\"person_properties\":{\"plan\":\"free\","
                            + "\"email\":\"u__N__@gmail.com\"},\"groups\":{}}").getBytes(StandardCharsets.UTF_8));
            String warmUp = WarmUp.untilCompilersQuiet("decide", MAX_WARM_UP_PASSES, () -> {
                double flagsRate = wrk
                        ? WrkRun.run(base.resolve("/flags/?v=2"), "POST", List.of("Content-Type: application/json"), templates, 32,
                                WARM_UP_PHASE).requestsPerSecond()
                        : LoadRun.run(http, base.resolve("/flags/?v=2"), "application/json", null,
                                i -> bodies.get(i % bodies.size()), 32, WARM_UP_PHASE, 0).requestsPerSecond();
                double trivialRate = wrk
                        ? WrkRun.run(base.resolve("/decide/"), "GET", List.of(), null, 32, WARM_UP_PHASE).requestsPerSecond()
                        : LoadRun.run(http, base.resolve("/decide/"), null, null, null, 32, WARM_UP_PHASE, 0).requestsPerSecond();
                return String.format(Locale.ROOT, "flags %,.0f req/s, trivial endpoint %,.0f req/s", flagsRate, trivialRate);
            });
            for (int rep = 0; rep < repetitions; rep++) {
                if (wrk) {
                    WrkRun.Result t = WrkRun.run(base.resolve("/decide/"), "GET", List.of(), null, 32, phase);
                    trivial.add(t.requestsPerSecond());
                    WrkRun.Result f = WrkRun.run(base.resolve("/flags/?v=2"), "POST", List.of("Content-Type: application/json"),
                            templates, 32, phase);
                    flags.add(f.requestsPerSecond());
                    flagsP50.add(f.p50Millis());
                    flagsP99.add(f.p99Millis());
                    failures += t.errors() + f.errors();
                } else {
                    LoadRun.Result t = LoadRun.run(http, base.resolve("/decide/"), null, null, null, 32, phase, 0);
                    trivial.add(t.requestsPerSecond());
                    LoadRun.Result f = LoadRun.run(http, base.resolve("/flags/?v=2"), "application/json", null,
                            i -> bodies.get(i % bodies.size()), 32, phase, 0);
                    flags.add(f.requestsPerSecond());
                    flagsP50.add(Stats.percentile(f.latencyNanos(), 50));
                    flagsP99.add(Stats.percentile(f.latencyNanos(), 99));
                    failures += t.failures() + f.failures();
                }
                Progress.say("decide", String.format(Locale.ROOT, "repetition %d/%d: trivial endpoint %,.0f req/s, flags %,.0f req/s"
                        + " (%.2f)", rep + 1, repetitions, trivial.getLast(), flags.getLast(), flags.getLast() / trivial.getLast()));
            }
            double max = Stats.median(flags);
            List<Double> halfP99 = new ArrayList<>();
            List<Double> halfP50 = new ArrayList<>();
            // The paced load comes from this JVM's HttpClient: one uncounted phase compiles it first.
            LoadRun.run(http, base.resolve("/flags/?v=2"), "application/json", null, i -> bodies.get(i % bodies.size()), 32,
                    WARM_UP_PHASE, max / 2);
            for (int rep = 0; rep < repetitions; rep++) {
                LoadRun.Result h = LoadRun.run(http, base.resolve("/flags/?v=2"), "application/json", null,
                        i -> bodies.get(i % bodies.size()), 32, phase, max / 2);
                halfP50.add(Stats.percentile(h.latencyNanos(), 50));
                halfP99.add(Stats.percentile(h.latencyNanos(), 99));
                failures += h.failures();
                Progress.say("decide", String.format(Locale.ROOT, "half-load repetition %d/%d: p99 %.1f ms", rep + 1, repetitions,
                        halfP99.getLast()));
            }
            double baseline = Stats.median(trivial);
            StringBuilder out = new StringBuilder();
            out.append("### decide-service (").append(repetitions).append(" repetitions of ").append(phase.toSeconds())
                    .append(" s per phase, 32 connections, medians; maximum-rate load from ")
                    .append(wrk ? WrkRun.describe() : "the JVM's HttpClient").append(", paced load from the JVM's HttpClient)\n\n");
            out.append("| measurement | req/s | p50 ms | p99 ms | ratio to trivial endpoint |\n|---|---|---|---|---|\n");
            out.append(String.format(Locale.ROOT, "| trivial JSON endpoint (`GET /decide`) | %,.0f | | | 1.00 |%n", baseline));
            out.append(String.format(Locale.ROOT, "| `POST /flags/?v=2`, 20 flags, 10,000 distinct ids | %,.0f | %.1f | %.1f | %.2f |%n",
                    max, Stats.median(flagsP50), Stats.median(flagsP99), max / baseline));
            out.append(String.format(Locale.ROOT, "| `POST /flags/?v=2` paced at half the maximum (%,.0f req/s) | | %.1f | %.1f | |%n",
                    max / 2, Stats.median(halfP50), Stats.median(halfP99)));
            out.append("\nnon-2xx or failed requests: ").append(failures).append("; flags runs (req/s): ")
                    .append(flags.stream().map(v -> String.format(Locale.ROOT, "%,.0f", v)).toList()).append("; spread: flags ")
                    .append(Stats.spread(flags)).append(" req/s, trivial endpoint ").append(Stats.spread(trivial)).append(" req/s\n");
            out.append("\nwarm-up: ").append(warmUp).append('\n');
            return out.toString();
        } finally {
            decide.close();
        }
    }

    /** 20 flags: 8 rollouts, 6 on person properties, 6 multivariate with payloads. */
    private void createFlags(String url) throws Exception {
        try (Connection connection = DriverManager.getConnection(url, environment.postgresUser(), environment.postgresPassword());
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO feature_flag (team_id, key, name, filters) VALUES (1, ?, ?, ?::jsonb)")) {
            for (int i = 0; i < 20; i++) {
                String filters;
                if (i < 8) {
                    filters = "{\"groups\":[{\"properties\":[],\"rollout_percentage\":" + (10 + i * 10) + "}]}";
                } else if (i < 14) {
                    filters = "{\"groups\":[{\"properties\":[{\"key\":\"plan\",\"value\":[\"pro\"],\"operator\":\"exact\",\"type\":\"person\"},"
                            + "{\"key\":\"email\",\"value\":\"corp\",\"operator\":\"icontains\",\"type\":\"person\"}],\"rollout_percentage\":"
                            + (50 + i) + "}]}";
                } else {
                    filters = "{\"groups\":[{\"properties\":[],\"rollout_percentage\":80}],\"multivariate\":{\"variants\":["
                            + "{\"key\":\"control\",\"rollout_percentage\":34},{\"key\":\"a\",\"rollout_percentage\":33},"
                            + "{\"key\":\"b\",\"rollout_percentage\":33}]},\"payloads\":{\"control\":\"{\\\"x\\\":1}\",\"a\":\"{\\\"x\\\":2}\"}}";
                }
                insert.setString(1, "flag-" + i);
                insert.setString(2, "flag " + i);
                insert.setString(3, filters);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
