package dev.ingest.e2e;

import static dev.ingest.e2e.hostile.Payloads.gzip;
import static org.assertj.core.api.Assertions.assertThat;

import blazing.chain.LZSEncoding;
import dev.ingest.common.json.Json;
import dev.ingest.common.testing.Poll;
import dev.ingest.e2e.hostile.HostileRequest;
import dev.ingest.e2e.hostile.HostileRequest.Header;
import dev.ingest.e2e.hostile.RawHttp;
import dev.ingest.e2e.hostile.WellFormedTraffic;
import dev.ingest.e2e.hostile.WellFormedTraffic.Samples;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The resource-safety attack suite: capture-service and decide-service run as their own processes (512 MiB heaps, as
 * the fault suite starts them) and each class of request that used to exhaust a heap is fired at them, on the routes
 * and encodings it applies to, while well-formed SDK traffic flows. Asserted: each service is the same process
 * afterwards, no OutOfMemoryError in any log, every refused request got one of its documented statuses (never a
 * silent close: a 503 carries Retry-After), every acknowledged well-formed event is in ClickHouse. Reported per
 * attack (and written to {@code target/resource-safety/results.md} for RELIABILITY.md): requests, answers by status,
 * the services' peak heap and memory-budget high-water mark, the good traffic's p99 without and during the attacks.
 */
class ResourceSafetyIT {
    private static final long MIB = 1024 * 1024;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(90);
    private static final Pattern HEAP_USED = Pattern.compile("^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} (\\S+)",
            Pattern.MULTILINE);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** One class of attack: how many of which request, sent how many at a time, and the statuses it may get. */
    private record Attack(String name, ServiceProcess target, IntFunction<HostileRequest> requests, int count,
            int concurrency, Set<Integer> allowed) {
        Attack(String name, ServiceProcess target, HostileRequest request, int count, int concurrency, Set<Integer> allowed) {
            this(name, target, i -> request, count, concurrency, allowed);
        }
    }

    @Test
    void noAttackTakesAServiceDownAndEveryAcknowledgedEventIsStored() throws Exception {
        TestingPlatform platform = TestingPlatform.get();
        TestingPlatform.TestProject steady = platform.createProject("safety steady");
        TestingPlatform.TestProject target = platform.createProject("safety target");
        String key = HostileInputIT.personalApiKey(platform, target.id());
        TestingPlatform.TestProject hogProject = platform.createProject("safety js hog");
        long hogApp = insertApp(platform, hogProject.id(), "js", "{\"source\":" + Json.write(JS_HOG) + "}");
        TestingPlatform.TestProject regexProject = platform.createProject("safety js regex");
        long regexApp = insertApp(platform, regexProject.id(), "js", "{\"source\":" + Json.write(JS_REGEX) + "}");
        TestingPlatform.TestProject loopProject = platform.createProject("safety js top-level loop");
        insertApp(platform, loopProject.id(), "js", "{\"source\":" + Json.write(JS_TOP_LEVEL_LOOP) + "}");
        Path logs = Path.of("target", "resource-safety", "logs");
        // plugin-service runs as its own process too (its JS workers are its children): the in-process one steps aside.
        platform.stopPlugin();
        try (ServiceProcess decide = ServiceProcess.of(platform, "decide-service", logs, Map.of()).start();
                ServiceProcess capture = ServiceProcess.of(platform, "capture-service", logs, Map.of()).start();
                ServiceProcess plugin = ServiceProcess.of(platform, "plugin-service", logs,
                        // A 1 s call timeout, so that memory rather than time stops the hog (on a busy machine a call
                        // near a full heap can spend 100 ms in GC).
                        Map.of("INGEST_PLUGIN_JS_WORKER_HEAP", "128MB", "INGEST_PLUGIN_JS_MAX_FAILURES", "3",
                                "INGEST_PLUGIN_JS_TIMEOUT", "1s")).start()) {
            Poll.until(Duration.ofSeconds(180), () -> decide.ready() && capture.ready() && plugin.ready(), ready -> ready,
                    "capture, decide and plugin processes ready");
            long capturePid = capture.pid();
            long decidePid = decide.pid();
            long pluginPid = plugin.pid();
            HeapSampler heap = new HeapSampler(List.of(capture, decide, plugin));
            Thread sampler = Thread.ofPlatform().daemon().name("heap-sampler").start(heap);

            WellFormedTraffic traffic = new WellFormedTraffic(capture.url(), decide.url(), steady.token(), 2,
                    Duration.ofMillis(20));
            traffic.run(Duration.ofSeconds(3));
            Samples baseline = traffic.run(Duration.ofSeconds(10));

            List<Attack> attacks = attacks(capture, decide, target, key);
            Map<String, Map<String, Integer>> answers = new TreeMap<>();
            Map<String, String> timings = new TreeMap<>();
            List<String> problems = new ArrayList<>();
            Samples during;
            List<String> hogEvents;
            List<String> regexEvents;
            List<String> loopEvents;
            try (ExecutorService background = Executors.newVirtualThreadPerTaskExecutor()) {
                Future<Samples> good = background.submit(() -> traffic.run(Duration.ofSeconds(45)));
                for (Attack attack : attacks) {
                    long started = System.nanoTime();
                    answers.put(attack.name(), fire(attack, problems));
                    timings.put(attack.name(), String.format(Locale.ROOT, "%s +%.1f s",
                            Instant.now().toString().substring(11, 19), (System.nanoTime() - started) / 1e9));
                }
                hogEvents = sendEvents(capture.url(), hogProject.token(), 60, problems);
                regexEvents = sendEvents(capture.url(), regexProject.token(), 20, problems);
                loopEvents = sendEvents(capture.url(), loopProject.token(), 10, problems);
                during = good.get();
            }
            Samples after = traffic.run(Duration.ofSeconds(3));
            heap.stop();
            sampler.join();

            for (ServiceProcess service : List.of(capture, decide, plugin)) {
                long before = service == capture ? capturePid : service == decide ? decidePid : pluginPid;
                if (!service.isAlive() || service.pid() != before) {
                    problems.add(service.module() + " is not the process it was before the attacks");
                }
                String log = Files.readString(service.log());
                if (log.contains("OutOfMemoryError")) {
                    problems.add(service.module() + " logged an OutOfMemoryError");
                }
            }
            for (Samples samples : List.of(baseline, during, after)) {
                samples.failures().stream().limit(20).forEach(f -> problems.add("well-formed request: " + f));
            }
            List<String> acknowledged = traffic.acknowledged();
            long stored = storedEvents(platform, steady.id(), acknowledged.size());
            if (stored != acknowledged.size()) {
                problems.add("well-formed events: " + acknowledged.size() + " acknowledged, " + stored + " stored");
            }
            // The JS hog's events are all stored, unchanged, and the app is disabled with its reason.
            long hogStored = storedEvents(platform, hogProject.id(), hogEvents.size());
            String disabledReason = disabledReason(platform, hogApp);
            long appErrors = platform.clickhouse().scalarLong("SELECT count() FROM posthog.ingestion_warnings WHERE team_id = "
                    + hogProject.id() + " AND type = 'app_error'");
            if (hogStored != hogEvents.size()) {
                problems.add("JS hog's project: " + hogEvents.size() + " acknowledged, " + hogStored + " stored");
            }
            // Disabled for one of the worker's limits: its heap, or (a call stalled in GC near a full heap) its timeout.
            if (disabledReason == null || !(disabledReason.contains("ran out of memory") || disabledReason.contains("timed out"))) {
                problems.add("the JS hog was not disabled for exhausting its worker: " + disabledReason);
            }
            long regexStored = storedEvents(platform, regexProject.id(), regexEvents.size());
            long loopStored = storedEvents(platform, loopProject.id(), loopEvents.size());
            String regexDisabled = disabledReason(platform, regexApp);
            if (regexStored != regexEvents.size() || loopStored != loopEvents.size()) {
                problems.add("JS CPU apps' projects: regex " + regexEvents.size() + " acknowledged / " + regexStored
                        + " stored, top-level loop " + loopEvents.size() + " / " + loopStored);
            }
            String jsSummary = hogEvents.size() + " events of the JS hog's project acknowledged, " + hogStored
                    + " stored; " + appErrors + " app_error warnings; app disabled: " + disabledReason
                    + "\n- JS catastrophic regex: " + regexEvents.size() + " acknowledged, " + regexStored
                    + " stored; app disabled: " + (regexDisabled == null ? "no (GraalJS matched it in time: its regex"
                            + " engine is an automaton for such patterns)" : regexDisabled) + "\n- JS top-level infinite loop: " + loopEvents.size()
                    + " acknowledged, " + loopStored + " stored (the script never loads: every event passes with an"
                    + " app_error warning)";
            Map<String, String> budgets = new TreeMap<>();
            for (ServiceProcess service : List.of(capture, decide)) {
                String metrics = metrics(service);
                budgets.put(service.module(), mib(gauge(metrics, "ingest_memory_budget_high_water_bytes")) + " of "
                        + mib(gauge(metrics, "ingest_memory_budget_capacity_bytes")) + " MiB budget, "
                        + (long) gauge(metrics, "ingest_memory_budget_refused_total") + " refused");
            }
            String report = report(attacks, answers, timings, heap, budgets, baseline, during, acknowledged.size(), stored,
                    problems)
                    .replace("\n\nNo problems.", "\n- JS memory hog (plugin-service, 128 MB worker heap): " + jsSummary
                            + "\n\nNo problems.").replace("\n\nProblems:", "\n- JS memory hog: " + jsSummary + "\n\nProblems:");
            System.out.println(report);
            Path results = Path.of("target", "resource-safety", "results.md");
            Files.createDirectories(results.getParent());
            Files.writeString(results, report);
            assertThat(problems).as("resource-safety problems (see %s)", results.toAbsolutePath()).isEmpty();
        } finally {
            platform.startPlugin();
        }
    }

    /**
     * A processEvent that keeps 8 MB more on a global on every call, quickly (one typed array), so it runs out of
     * memory before its timeout (the memory hog, scaled to the worker's heap).
     */
    private static final String JS_HOG = """
            const kept = [];
            function processEvent(event) { kept.push(new Float64Array(1048576)); return event; }
            """;

    /**
     * A processEvent whose regex backtracks exponentially in a backtracking engine; each call either runs into the
     * timeout (and the app is then disabled) or is matched in time. Either way its events are stored.
     */
    private static final String JS_REGEX = """
            function processEvent(event) { /^(a+)+$/.test('a'.repeat(48) + '!'); return event; }
            """;

    /** A script whose top-level code never ends: it cannot load (its load time is bounded). */
    private static final String JS_TOP_LEVEL_LOOP = """
            while (true) {}
            function processEvent(event) { return event; }
            """;

    /** {@code count} events for a project, one request each; returns the acknowledged uuids. */
    private List<String> sendEvents(URI capture, String token, int count, List<String> problems) throws Exception {
        List<String> acknowledged = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String uuid = UUID.randomUUID().toString();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(capture.resolve("/e/"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"api_key\":\"" + token + "\",\"event\":\"hog\","
                            + "\"distinct_id\":\"hog-" + i + "\",\"uuid\":\"" + uuid + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                acknowledged.add(uuid);
            } else {
                problems.add("a JS app project's event answered " + response.statusCode());
            }
        }
        return acknowledged;
    }

    /** How many of a project's events ClickHouse has, once it has {@code expected} or after a deadline. */
    private static long storedEvents(TestingPlatform platform, long project, int expected) {
        String query = "SELECT uniqExact(uuid) FROM posthog.events WHERE team_id = " + project;
        try {
            return Poll.until(Duration.ofSeconds(180), () -> platform.clickhouse().scalarLong(query),
                    count -> count >= expected, "the events of project " + project + " in ClickHouse");
        } catch (AssertionError e) {
            return platform.clickhouse().scalarLong(query);
        }
    }

    private static long insertApp(TestingPlatform platform, long team, String app, String config) throws Exception {
        try (Connection db = platform.postgres(); PreparedStatement insert = db.prepareStatement(
                "INSERT INTO app_config (team_id, app, config, position) VALUES (?, ?, ?::jsonb, 0) RETURNING id")) {
            insert.setLong(1, team);
            insert.setString(2, app);
            insert.setString(3, config);
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static String disabledReason(TestingPlatform platform, long app) throws Exception {
        try (Connection db = platform.postgres(); PreparedStatement query = db.prepareStatement(
                "SELECT disabled_reason FROM app_config WHERE id = ? AND NOT enabled")) {
            query.setLong(1, app);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    private static List<Attack> attacks(ServiceProcess capture, ServiceProcess decide, TestingPlatform.TestProject target,
            String key) {
        String token = target.token();
        byte[] emptyObjects = ("{\"api_key\":\"" + token + "\",\"batch\":[" + "{},".repeat((int) (20 * MIB / 3) - 100)
                + "{}]}").getBytes(StandardCharsets.UTF_8);
        byte[] emptyArrays = ("[" + "[],".repeat((int) (20 * MIB / 3) - 100) + "[]]").getBytes(StandardCharsets.UTF_8);
        String tinyEvent = "{\"event\":\"e\",\"distinct_id\":\"d\"},";
        byte[] tinyEvents = ("{\"api_key\":\"" + token + "\",\"batch\":[" + tinyEvent.repeat((int) (19 * MIB / tinyEvent.length()))
                + "{\"event\":\"e\",\"distinct_id\":\"d\"}]}").getBytes(StandardCharsets.UTF_8);
        byte[] millionNumbers = ("{\"api_key\":\"" + token + "\",\"event\":\"e\",\"distinct_id\":\"d\",\"properties\":{\"a\":["
                + "1,".repeat(900_000) + "1]}}").getBytes(StandardCharsets.UTF_8);
        String nested = "{\"token\":\"" + token + "\",\"distinct_id\":\"d\",\"person_properties\":{"
                + "\"k\":{},".repeat((int) ((MIB - 200) / 7)) + "\"k\":{}}}";
        byte[] flagsNested = nested.getBytes(StandardCharsets.UTF_8);
        byte[] deep = ("{\"token\":\"" + token + "\",\"distinct_id\":\"d\",\"person_properties\":"
                + "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000) + "}").getBytes(StandardCharsets.UTF_8);
        byte[] flagBody = ("{\"key\":\"hostile\",\"filters\":{\"groups\":[" + "{},".repeat((int) ((MIB - 100) / 3))
                + "{}]}}").getBytes(StandardCharsets.UTF_8);
        List<Header> json = List.of(new Header("Content-Type", "application/json"));
        List<Header> form = List.of(new Header("Content-Type", "application/x-www-form-urlencoded"));
        List<Header> api = List.of(new Header("Content-Type", "application/json"), new Header("Authorization", "Bearer " + key));
        return List.of(
                new Attack("capture: gzip of a 20 MiB batch of {}", capture,
                        post("/batch/", json, gzip(emptyObjects)), 12, 4, Set.of(400, 503)),
                new Attack("capture: gzip-js of 20 MiB of [] (/e/?compression=gzip-js)", capture,
                        post("/e/?compression=gzip-js", json, gzip(emptyArrays)), 8, 4, Set.of(401, 503)),
                new Attack("capture: base64 form data= of a gzip 20 MiB batch of {}", capture,
                        post("/e/", form, ("compression=gzip&data=" + URLEncoder.encode(
                                Base64.getEncoder().encodeToString(gzip(emptyObjects)), StandardCharsets.UTF_8))
                                .getBytes(StandardCharsets.UTF_8)), 4, 2, Set.of(400, 503)),
                new Attack("capture: lz64 of a 20 MiB batch of {}", capture,
                        post("/batch/?compression=lz64", List.of(new Header("Content-Type", "text/plain")),
                                LZSEncoding.compressToBase64(new String(emptyObjects, StandardCharsets.UTF_8))
                                        .getBytes(StandardCharsets.UTF_8)), 4, 2, Set.of(400, 413, 503)),
                new Attack("capture: a batch of 600k tiny events (gzip)", capture,
                        post("/batch/", json, gzip(tinyEvents)), 4, 2, Set.of(413, 503)),
                new Attack("capture: one event with 900k numbers", capture, post("/e/", json, millionNumbers), 8, 4,
                        Set.of(413, 503)),
                new Attack("capture: declares 20 MiB, sends 1 byte", capture,
                        new HostileRequest("stalled body", HostileRequest.Target.CAPTURE, "POST", "/batch/",
                                List.of(new Header("Content-Type", "application/json"),
                                        new Header("Content-Length", Long.toString(20 * MIB))), new byte[] {'{'}, 0),
                        60, 60, Set.of(400, 408)),
                new Attack("capture: 20,000 requests with random unknown tokens", capture,
                        i -> post("/e/", json, ("{\"api_key\":\"phc_unknown_" + i + "_" + UUID.randomUUID()
                                + "\",\"event\":\"e\",\"distinct_id\":\"d\"}").getBytes(StandardCharsets.UTF_8)),
                        20_000, 16, Set.of(401, 503)),
                new Attack("decide: /flags with 1 MiB of {} in person_properties", decide,
                        post("/flags/?v=2", json, flagsNested), 16, 8, Set.of(200, 503)),
                new Attack("decide: /flags gzip of the same", decide, post("/flags/?v=2", json, gzip(flagsNested)), 16, 8,
                        Set.of(200, 503)),
                new Attack("decide: /flags nested 100,000 deep", decide, post("/flags/?v=2", json, deep), 4, 4,
                        Set.of(400, 413)),
                new Attack("decide: /flags declares 1 MiB, sends 1 byte", decide,
                        new HostileRequest("stalled body", HostileRequest.Target.DECIDE, "POST", "/flags/?v=2",
                                List.of(new Header("Content-Type", "application/json"),
                                        new Header("Content-Length", Long.toString(MIB))), new byte[] {'{'}, 0),
                        60, 60, Set.of(400, 408)),
                new Attack("management API: a flag with 1 MiB of {} in filters", decide,
                        new HostileRequest("flag body", HostileRequest.Target.MANAGEMENT_API, "POST",
                                "/api/projects/" + target.id() + "/feature_flags/", api, flagBody, 0),
                        8, 4, Set.of(201, 400, 413, 503)));
    }

    private static HostileRequest post(String path, List<Header> headers, byte[] body) {
        return new HostileRequest(path, HostileRequest.Target.CAPTURE, "POST", path, headers, body, 0);
    }

    /** Sends the attack's requests, {@code concurrency} at a time; returns answers by status ("closed", "timed out"). */
    private static Map<String, Integer> fire(Attack attack, List<String> problems) throws Exception {
        Map<String, Integer> counts = new ConcurrentHashMap<>();
        try (ExecutorService senders = Executors.newFixedThreadPool(attack.concurrency())) {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < attack.count(); i++) {
                HostileRequest request = attack.requests().apply(i);
                sent.add(senders.submit(() -> {
                    RawHttp.Outcome outcome = RawHttp.exchange(attack.target().url(), request, REQUEST_TIMEOUT);
                    String kind = switch (outcome) {
                        case RawHttp.Answered answered -> Integer.toString(answered.status());
                        case RawHttp.Closed closed -> "closed";
                        case RawHttp.TimedOut timedOut -> "timed out";
                    };
                    counts.merge(kind, 1, Integer::sum);
                    if (outcome instanceof RawHttp.Answered a && a.status() == 503 && !a.hasHeader("Retry-After")) {
                        synchronized (problems) {
                            problems.add(attack.name() + ": a 503 without Retry-After");
                        }
                    }
                    boolean allowed = outcome instanceof RawHttp.Answered a && attack.allowed().contains(a.status())
                            // A request that never finished sending its body may be cut without an answer.
                            || outcome instanceof RawHttp.Closed && attack.name().contains("sends 1 byte");
                    if (!allowed) {
                        synchronized (problems) {
                            problems.add(attack.name() + ": " + kind + (outcome instanceof RawHttp.Answered a
                                    ? " " + abbreviate(a.body()) : ""));
                        }
                    }
                }));
            }
            for (Future<?> future : sent) {
                future.get();
            }
        }
        return new TreeMap<>(counts);
    }

    /** Samples each service's used heap from its metrics while the attacks run, and keeps the peak. */
    private final class HeapSampler implements Runnable {
        private final List<ServiceProcess> services;
        private final Map<String, Double> peak = new ConcurrentHashMap<>();
        private volatile boolean running = true;

        HeapSampler(List<ServiceProcess> services) {
            this.services = services;
        }

        @Override
        public void run() {
            while (running) {
                for (ServiceProcess service : services) {
                    try {
                        Matcher matcher = HEAP_USED.matcher(metrics(service));
                        double used = 0;
                        while (matcher.find()) {
                            used += Double.parseDouble(matcher.group(1));
                        }
                        peak.merge(service.module(), used, Math::max);
                    } catch (RuntimeException e) {
                        // A busy service may not answer one sample in time; the next one counts.
                    }
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void stop() {
            running = false;
        }
    }

    private String metrics(ServiceProcess service) {
        try {
            return http.send(HttpRequest.newBuilder(service.url().resolve("/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double gauge(String metrics, String name) {
        Matcher matcher = Pattern.compile("^" + name + "(\\{[^}]*})? (\\S+)", Pattern.MULTILINE).matcher(metrics);
        return matcher.find() ? Double.parseDouble(matcher.group(2)) : Double.NaN;
    }

    private static String mib(double bytes) {
        return String.format(Locale.ROOT, "%.0f", bytes / MIB);
    }

    private String report(List<Attack> attacks, Map<String, Map<String, Integer>> answers, Map<String, String> timings,
            HeapSampler heap,
            Map<String, String> budgets, Samples baseline, Samples during, int acknowledged, long stored,
            List<String> problems) {
        StringBuilder out = new StringBuilder("# Resource safety: latest run\n\n| attack | service | requests (at once) |"
                + " body bytes | answers | ended (UTC), took |\n|---|---|---|---|---|---|\n");
        for (Attack attack : attacks) {
            out.append("| ").append(attack.name()).append(" | ").append(attack.target().module()).append(" | ")
                    .append(attack.count()).append(" (").append(attack.concurrency()).append(") | ")
                    .append(attack.requests().apply(0).body().length).append(" | ").append(answers.get(attack.name()))
                    .append(" | ").append(timings.get(attack.name())).append(" |\n");
        }
        out.append("\n- Peak heap used, garbage not yet collected included (sampled every 200 ms, -Xmx512m): ");
        heap.peak.forEach((service, bytes) -> out.append(service).append(' ').append(mib(bytes)).append(" MiB; "));
        out.append("\n- Memory budget: ").append(budgets).append('\n')
                .append(String.format(Locale.ROOT, "- Well-formed traffic p99 without / during the attacks: capture %.1f /"
                        + " %.1f ms, decide %.1f / %.1f ms (%d / %d requests)%n",
                        Samples.percentile(baseline.captureMillis(), 99), Samples.percentile(during.captureMillis(), 99),
                        Samples.percentile(baseline.decideMillis(), 99), Samples.percentile(during.decideMillis(), 99),
                        baseline.captureMillis().size() + baseline.decideMillis().size(),
                        during.captureMillis().size() + during.decideMillis().size()))
                .append("- Well-formed events acknowledged: ").append(acknowledged).append(", in ClickHouse: ").append(stored)
                .append("\n\n").append(problems.isEmpty() ? "No problems.\n" : "Problems:\n");
        problems.stream().limit(100).forEach(problem -> out.append("- ").append(problem).append('\n'));
        return out.toString();
    }


    private static String abbreviate(String text) {
        String line = text.replace('\n', ' ');
        return line.length() <= 160 ? line : line.substring(0, 160) + "...";
    }
}
