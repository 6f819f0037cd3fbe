package dev.ingest.plugin.apps.js;

import static dev.ingest.plugin.apps.js.EventJson.event;
import static dev.ingest.plugin.apps.js.JsApps.app;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.plugin.apps.AppResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** One app instance serves many threads at once, each call with its own event and result. */
class JsAppConcurrencyTest {
    /** Deadlines never pass here ({@link ManualTimer}): these tests are about results, not time. */
    private static final JsEngine ENGINE = new JsEngine(
            JsLimits.DEFAULTS.withTimeout(Duration.ofSeconds(1)).withContexts(3), new ManualTimer());
    private static final String TRANSFORM = """
            function processEvent(event, meta) {
              event.properties.doubled = event.properties.n * 2;
              event.properties.owner = meta.distinctId;
              return event;
            }
            """;

    @AfterAll
    static void closeEngine() {
        ENGINE.close();
    }

    @Test
    void threadsCallingAtOnceGetTheirOwnResults() throws Exception {
        int threads = 6;
        int callsPerThread = 150;
        try (JsApp app = app(ENGINE, TRANSFORM); ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < callsPerThread; i++) {
                        long n = thread * 100_000L + i;
                        EventJson input = event("e").property("n", n).distinctId("user-" + thread);
                        AppResult result = app.processEvent(input.build(), input.meta());
                        ObjectNode properties = (ObjectNode) ((AppResult.Keep) result).event().get("properties");
                        assertThat(properties.get("doubled").asLong()).isEqualTo(2 * n);
                        assertThat(properties.get("owner").asString()).isEqualTo("user-" + thread);
                    }
                    return callsPerThread;
                }));
            }
            start.countDown();
            int calls = 0;
            for (Future<Integer> future : done) {
                calls += future.get();
            }
            assertThat(calls).isEqualTo(threads * callsPerThread);
            assertThat(app.contexts()).as("never more contexts than the pool allows").isBetween(1, 3);
        }
    }

    @Test
    void costOfATrivialTransformation() {
        ENGINE.warmUp(Duration.ofMillis(500));
        try (JsApp app = app(ENGINE, TRANSFORM)) {
            EventJson input = event("$pageview").property("n", 21).property("$current_url", "https://example.com/a")
                    .property("$browser", "Firefox");
            ObjectNode event = input.build();
            for (int i = 0; i < 3000; i++) {
                app.processEvent(event.deepCopy(), input.meta());
            }
            int calls = 5000;
            long started = System.nanoTime();
            AppResult last = null;
            for (int i = 0; i < calls; i++) {
                last = app.processEvent(event.deepCopy(), input.meta());
            }
            long elapsed = System.nanoTime() - started;
            assertThat(((AppResult.Keep) last).event().at("/properties/doubled").asLong()).isEqualTo(42);
            System.out.printf("js app: trivial processEvent costs %.1f us per call (%d calls after 3000 warm-up,"
                    + " interpreter only)%n", elapsed / 1000.0 / calls, calls);
        }
    }
}
