package dev.ingest.plugin.apps.js;

import static dev.ingest.plugin.apps.js.EventJson.event;
import static dev.ingest.plugin.apps.js.JsApps.app;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.plugin.apps.AppResult;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A script sees plain ECMAScript and nothing of the host: each escape hatch is tried from inside and must fail. */
class JsAppSandboxTest {
    /** Deadlines never pass here ({@link ManualTimer}): these tests are about what a script can reach, not time. */
    private static final JsEngine ENGINE =
            new JsEngine(JsLimits.DEFAULTS.withTimeout(Duration.ofSeconds(1)), new ManualTimer());

    /** Runs each probe in the sandbox; the answer per probe is its value, or the error it threw. */
    private static final String PROBES = """
            const probes = {
              typeofJava: () => typeof Java,
              javaType: () => Java.type('java.lang.System').exit(1),
              evalJava: () => eval('Java.type("java.io.File")'),
              polyglot: () => typeof Polyglot,
              polyglotEval: () => Polyglot.eval('js', '1'),
              require: () => typeof require,
              requireFs: () => require('fs').readFileSync('/etc/passwd'),
              fetch: () => typeof fetch,
              load: () => typeof load,
              loadFile: () => load('/etc/passwd'),
              loadWithNewGlobal: () => typeof loadWithNewGlobal,
              print: () => typeof print,
              packages: () => typeof Packages,
              javaPackage: () => typeof java,
              graal: () => typeof Graal,
              process: () => typeof process,
              setTimeout: () => typeof setTimeout,
              worker: () => typeof Worker,
              xmlHttpRequest: () => typeof XMLHttpRequest,
              webAssembly: () => typeof WebAssembly,
              quit: () => typeof quit,
              readFile: () => typeof read,
              functionConstructor: () => Function('return typeof Java')(),
              globalViaFunctionConstructor: () =>
                  Object.getPrototypeOf(globalThis.constructor.constructor('return this')()) === Object.prototype,
            };
            async function processEvent(event) {
              const results = {};
              for (const [name, probe] of Object.entries(probes)) {
                try {
                  results[name] = String(probe());
                } catch (e) {
                  results[name] = 'error: ' + e;
                }
              }
              for (const [name, specifier] of [['importFile', '/etc/passwd'], ['importModule', 'fs']]) {
                try {
                  await import(specifier);
                  results[name] = 'imported';
                } catch (e) {
                  results[name] = 'error: ' + e;
                }
              }
              event.properties.results = results;
              return event;
            }
            """;

    @AfterAll
    static void closeEngine() {
        ENGINE.close();
    }

    @Test
    void noHostAccessOfAnyKind() {
        Map<String, String> results = new LinkedHashMap<>();
        try (JsApp app = app(ENGINE, PROBES)) {
            EventJson input = event("probe");
            AppResult result = app.processEvent(input.build(), input.meta());
            JsonNode node = ((AppResult.Keep) result).event().at("/properties/results");
            node.properties().forEach(entry -> results.put(entry.getKey(), entry.getValue().asString()));
        }
        assertThat(results).containsEntry("typeofJava", "undefined")
                .containsEntry("polyglot", "undefined")
                .containsEntry("require", "undefined")
                .containsEntry("fetch", "undefined")
                .containsEntry("load", "undefined")
                .containsEntry("loadWithNewGlobal", "undefined")
                .containsEntry("print", "undefined")
                .containsEntry("packages", "undefined")
                .containsEntry("javaPackage", "undefined")
                .containsEntry("graal", "undefined")
                .containsEntry("process", "undefined")
                .containsEntry("setTimeout", "undefined")
                .containsEntry("worker", "undefined")
                .containsEntry("xmlHttpRequest", "undefined")
                .containsEntry("webAssembly", "undefined")
                .containsEntry("quit", "undefined")
                .containsEntry("readFile", "undefined")
                .containsEntry("functionConstructor", "undefined")
                .containsEntry("globalViaFunctionConstructor", "true");
        assertThat(results.get("javaType")).isEqualTo("error: ReferenceError: Java is not defined");
        assertThat(results.get("evalJava")).isEqualTo("error: ReferenceError: Java is not defined");
        assertThat(results.get("polyglotEval")).startsWith("error: ReferenceError");
        assertThat(results.get("requireFs")).startsWith("error: ReferenceError");
        assertThat(results.get("loadFile")).startsWith("error: ReferenceError");
        assertThat(results.get("importFile")).startsWith("error: ");
        assertThat(results.get("importModule")).startsWith("error: ");
        assertThat(results).hasSize(26);
    }

    @Test
    void consoleWorksAndItsOutputGoesNowhere() {
        try (JsApp app = app(ENGINE, """
                function processEvent(event) {
                  console.log('hello', event.event);
                  console.error('oops');
                  return event;
                }
                """)) {
            EventJson input = event("e");
            assertThat(app.processEvent(input.build(), input.meta())).isInstanceOf(AppResult.Keep.class);
        }
    }

    @Test
    void globalStateOfOneAppIsNotSeenByAnother() {
        try (JsApp writer = app(ENGINE, "globalThis.secret = 'mine'; function processEvent(e) { return e; }");
                JsApp reader = app(ENGINE, """
                        function processEvent(event) {
                          event.properties.seen = typeof secret;
                          return event;
                        }
                        """)) {
            EventJson input = event("e");
            writer.processEvent(input.build(), input.meta());
            AppResult result = reader.processEvent(input.build(), input.meta());
            assertThat(((AppResult.Keep) result).event().at("/properties/seen").asString()).isEqualTo("undefined");
        }
    }
}
