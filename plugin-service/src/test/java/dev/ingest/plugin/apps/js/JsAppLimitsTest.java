package dev.ingest.plugin.apps.js;

import static dev.ingest.plugin.apps.js.EventJson.event;
import static dev.ingest.plugin.apps.js.JsApps.app;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingest.plugin.apps.AppResult;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Runaway scripts are contained and the app goes on working. Each engine isolates one limit: the timeout engine has
 * a statement limit too high to be reached, and its deadlines pass only when a test lets them ({@link ManualTimer}),
 * so no assertion depends on how fast a busy machine runs a call; the statement engine has a timeout too long to be
 * reached.
 */
class JsAppLimitsTest {
    private static final ManualTimer DEADLINES = new ManualTimer();
    /** The service allows up to 1 s; the apps of these tests ask for less, which is theirs to lower. */
    private static final JsEngine TIMEOUT_ONLY = new JsEngine(
            JsLimits.DEFAULTS.withTimeout(JsLimits.MAX_TIMEOUT).withStatementLimit(1_000_000_000_000L), DEADLINES);
    private static final JsEngine STATEMENTS_ONLY = new JsEngine(
            JsLimits.DEFAULTS.withTimeout(JsLimits.MAX_TIMEOUT).withStatementLimit(10_000));
    private static final JsEngine SMALL_RESULTS = new JsEngine(new JsLimits(JsLimits.MAX_TIMEOUT, 1_000_000,
            Duration.ofSeconds(5), 1000, 2000, 2000, 4000, 2));

    /** Loops forever on event {@code loop}, passes other events through with a mark. */
    private static final String LOOPS_ON_DEMAND = """
            function processEvent(event) {
              if (event.event === 'loop') {
                while (true) {}
              }
              event.properties.ok = true;
              return event;
            }
            """;

    @AfterAll
    static void closeEngines() {
        TIMEOUT_ONLY.close();
        STATEMENTS_ONLY.close();
        SMALL_RESULTS.close();
    }

    /** Runs {@code call} on a thread of its own, lets its deadline pass, and returns what it threw. */
    private static Throwable timedOut(ThrowingCall call) throws Exception {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                call.run();
                thrown.complete(null);
            } catch (Throwable t) {
                thrown.complete(t);
            }
        });
        DEADLINES.expireTheRunningCall();
        return thrown.get(60, TimeUnit.SECONDS);
    }

    private interface ThrowingCall {
        void run() throws Exception;
    }

    private static void assertTimedOut(Throwable thrown) {
        assertThat(thrown).isInstanceOfSatisfying(JsAppException.class,
                e -> assertThat(e.kind()).isEqualTo(JsAppException.Kind.TIMED_OUT));
    }

    private static void assertStillWorks(JsApp app) {
        EventJson next = event("next");
        AppResult result = app.processEvent(next.build(), next.meta());
        assertThat(result).isInstanceOf(AppResult.Keep.class);
        assertThat(((AppResult.Keep) result).event().at("/properties/ok").asBoolean()).isTrue();
    }

    @Test
    void anInfiniteLoopTimesOutAndTheAppKeepsWorking() throws Exception {
        try (JsApp app = app(TIMEOUT_ONLY, LOOPS_ON_DEMAND, 200)) {
            assertStillWorks(app);
            EventJson loop = event("loop");
            Throwable thrown = timedOut(() -> app.processEvent(loop.build(), loop.meta()));
            assertTimedOut(thrown);
            assertThat(thrown).hasMessage("js app processEvent timed out after 200 ms");
            assertStillWorks(app);
            assertThat(app.contexts()).as("the cancelled context was replaced, not kept").isEqualTo(1);
        }
    }

    @Test
    void aCatastrophicRegexTimesOut() throws Exception {
        try (JsApp app = app(TIMEOUT_ONLY, """
                function processEvent(event) {
                  // The backreference forces TRegex to backtrack: exponential in the length of the word.
                  event.properties.ok = /^(\\w+\\s?)*\\1$/.test(event.properties.text);
                  return event;
                }
                """, 200)) {
            EventJson input = event("e").property("text", "a".repeat(40) + "!");
            assertTimedOut(timedOut(() -> app.processEvent(input.build(), input.meta())));
        }
    }

    @Test
    void aRunawayPromiseChainTimesOut() throws Exception {
        try (JsApp app = app(TIMEOUT_ONLY, """
                async function onEvent(event) {
                  while (true) {
                    await null;
                  }
                }
                """, 200)) {
            EventJson input = event("e");
            assertTimedOut(timedOut(() -> app.onEvent(input.build(), input.meta())));
        }
    }

    @Test
    void theStatementLimitStopsALoopAndTheAppKeepsWorking() {
        try (JsApp app = app(STATEMENTS_ONLY, LOOPS_ON_DEMAND)) {
            EventJson loop = event("loop");
            assertThatThrownBy(() -> app.processEvent(loop.build(), loop.meta()))
                    .isInstanceOfSatisfying(JsAppException.class,
                            e -> assertThat(e.kind()).isEqualTo(JsAppException.Kind.STATEMENT_LIMIT))
                    .hasMessage("js app processEvent exceeded its limit of 10000 statements");
            assertStillWorks(app);
        }
    }

    @Test
    void theStatementLimitIsPerCall() {
        // 3 calls of about 4,000 statements each: more than the limit together, less than it alone.
        try (JsApp app = app(STATEMENTS_ONLY, """
                function processEvent(event) {
                  let sum = 0;
                  for (let i = 0; i < 2000; i++) {
                    sum += i;
                  }
                  event.properties.sum = sum;
                  return event;
                }
                """)) {
            for (int call = 0; call < 3; call++) {
                EventJson input = event("e");
                AppResult result = app.processEvent(input.build(), input.meta());
                assertThat(((AppResult.Keep) result).event().at("/properties/sum").asLong()).isEqualTo(1999000);
            }
        }
    }

    @Test
    void topLevelCodeThatNeverEndsIsAnInvalidScript() {
        assertThatThrownBy(() -> app(STATEMENTS_ONLY, "while (true) {}\nfunction processEvent(e) { return e; }"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("js app script exceeded its limit of 10000 statements");
    }

    @Test
    void aResultLargerThanTheLimitIsAnError() {
        try (JsApp app = app(SMALL_RESULTS, """
                function processEvent(event) {
                  event.properties.big = 'x'.repeat(event.properties.size);
                  return event;
                }
                """)) {
            EventJson small = event("e").property("size", 100);
            assertThat(app.processEvent(small.build(), small.meta())).isInstanceOf(AppResult.Keep.class);

            EventJson big = event("e").property("size", 3000);
            assertThatThrownBy(() -> app.processEvent(big.build(), big.meta()))
                    .isInstanceOfSatisfying(JsAppException.class,
                            e -> assertThat(e.kind()).isEqualTo(JsAppException.Kind.TOO_LARGE))
                    .hasMessageContaining("more than the limit of 2000");
        }
    }

    @Test
    void anEventLargerThanTheLimitIsNotRun() {
        try (JsApp app = app(SMALL_RESULTS, "function processEvent(event) { return event; }")) {
            EventJson big = event("e").property("text", "y".repeat(3000));
            assertThatThrownBy(() -> app.processEvent(big.build(), big.meta()))
                    .isInstanceOfSatisfying(JsAppException.class,
                            e -> assertThat(e.kind()).isEqualTo(JsAppException.Kind.TOO_LARGE))
                    .hasMessageContaining("was not run");
        }
    }

    @Test
    void aStringLongerThanTheEngineAllowsIsARangeError() {
        try (JsApp app = app(SMALL_RESULTS, "function processEvent(event) { 'x'.repeat(5000); return event; }")) {
            EventJson input = event("e");
            assertThatThrownBy(() -> app.processEvent(input.build(), input.meta()))
                    .isInstanceOfSatisfying(JsAppException.class,
                            e -> assertThat(e.kind()).isEqualTo(JsAppException.Kind.THREW))
                    .hasMessageContaining("RangeError: Invalid string length");
        }
    }

    @Test
    void aSourceLargerThanTheLimitIsRefused() {
        assertThatThrownBy(() -> app(SMALL_RESULTS, "function processEvent(e) { return e; }\n" + "//".repeat(600)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("more than the limit of 1000");
    }

    @Test
    void deepRecursionIsAnErrorTheContextSurvives() {
        try (JsApp app = app(TIMEOUT_ONLY, """
                function down(n) { return down(n + 1) + 1; }
                function processEvent(event) {
                  if (event.event === 'recurse') down(0);
                  event.properties.ok = true;
                  return event;
                }
                """, 1000)) {
            EventJson input = event("recurse");
            assertThatThrownBy(() -> app.processEvent(input.build(), input.meta()))
                    .isInstanceOfSatisfying(JsAppException.class,
                            e -> assertThat(e.kind()).isEqualTo(JsAppException.Kind.THREW))
                    .hasMessageContaining("RangeError: Maximum call stack size exceeded");
            assertStillWorks(app);
        }
    }
}
