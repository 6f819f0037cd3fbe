package dev.ingest.plugin.apps.js;

import static dev.ingest.plugin.apps.js.EventJson.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingest.plugin.apps.AppResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * JavaScript apps in worker processes of their own (real JVMs started from this test's classpath): a script that
 * allocates without end ends only its worker, its calls fail with the reason and then start a new worker, it is
 * disabled after repeated crashes, and an app in another worker is untouched throughout.
 */
class JsWorkerAppTest {
    private static final JsWorkerApp.Settings SETTINGS = new JsWorkerApp.Settings(new JsWorker.Launch(
            Path.of(System.getProperty("java.home"), "bin", "java"), JsWorker.Launch.ofThisJvm(), "96m",
            Duration.ofMillis(500), 1_000_000), Duration.ofSeconds(90), 2, Duration.ofMinutes(10));

    /** Each call keeps 8 MB more on a global, quickly (one typed array): a 96 MB worker heap ends within a few calls. */
    private static final String HOG = """
            const kept = [];
            function processEvent(event) { kept.push(new Float64Array(1048576)); return event; }
            """;
    private static final String TAGGER = "function processEvent(e) { e.properties.ok = true; return e; }";

    @Test
    void aScriptThatExhaustsItsHeapEndsOnlyItsWorkerAndIsDisabledAfterRepeatedCrashes() {
        List<String> disabled = new CopyOnWriteArrayList<>();
        try (JsWorkerApp hog = JsWorkerApp.start(SETTINGS, JsApps.config(HOG), disabled::add);
                JsWorkerApp tagger = JsWorkerApp.start(SETTINGS, JsApps.config(TAGGER), disabled::add)) {
            long firstWorker = hog.workerPid();
            JsAppException crash = callUntilItFails(hog);
            assertThat(crash.kind()).isEqualTo(JsAppException.Kind.CRASHED);
            assertThat(crash).hasMessageContaining("ran out of memory").hasMessageContaining("96m");
            assertStillWorks(tagger);

            // The next call starts a new worker, which works until it, too, runs out.
            assertThat(hog.processEvent(event("again").build(), event("again").meta())).isInstanceOf(AppResult.Keep.class);
            assertThat(hog.workerPid()).isPositive().isNotEqualTo(firstWorker);
            assertThat(callUntilItFails(hog).kind()).isEqualTo(JsAppException.Kind.CRASHED);

            // Two crashes within the window: disabled, and every call fails at once with the reason.
            assertThat(disabled).singleElement().asString().contains("failed 2 times").contains("ran out of memory");
            EventJson after = event("after");
            assertThatThrownBy(() -> hog.processEvent(after.build(), after.meta()))
                    .isInstanceOfSatisfying(JsAppException.class,
                            e -> assertThat(e.kind()).isEqualTo(JsAppException.Kind.DISABLED));
            assertThat(hog.workerPid()).isEqualTo(-1);
            assertStillWorks(tagger);
        }
    }

    @Test
    void theOperatorsTimeoutHoldsWhateverTheAppsConfigAsksAndRepeatedTimeoutsDisableTheApp() {
        ObjectNode config = JsApps.config("function processEvent(e) { while (true) {} }");
        config.put(JsLimits.TIMEOUT_MS, 1000);
        List<String> disabled = new CopyOnWriteArrayList<>();
        try (JsWorkerApp app = JsWorkerApp.start(SETTINGS, config, disabled::add)) {
            for (int i = 0; i < 2; i++) {
                EventJson loop = event("loop");
                assertThatThrownBy(() -> app.processEvent(loop.build(), loop.meta()))
                        .isInstanceOfSatisfying(JsAppException.class, e -> assertThat(e.kind())
                                .isIn(JsAppException.Kind.TIMED_OUT, JsAppException.Kind.STATEMENT_LIMIT))
                        .hasMessageNotContaining("1000 ms");
            }
            assertThat(disabled).singleElement().asString().contains("failed 2 times");
        }
    }

    @Test
    void aScriptThatCannotLoadIsRefusedWithItsReason() {
        assertThatThrownBy(() -> JsWorkerApp.start(SETTINGS, JsApps.config("function processEvent(e) {"), r -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SyntaxError");
    }

    private static JsAppException callUntilItFails(JsWorkerApp app) {
        for (int i = 0; i < 50; i++) {
            EventJson input = event("hog-" + i);
            try {
                app.processEvent(input.build(), input.meta());
            } catch (JsAppException e) {
                return e;
            }
        }
        throw new AssertionError("the hog never ran out of memory");
    }

    private static void assertStillWorks(JsWorkerApp app) {
        EventJson next = event("next");
        AppResult result = app.processEvent(next.build(), next.meta());
        assertThat(result).isInstanceOf(AppResult.Keep.class);
        assertThat(((AppResult.Keep) result).event().at("/properties/ok").asBoolean()).isTrue();
    }
}
