package dev.ingest.plugin.apps.js;

import java.io.OutputStream;
import java.time.Duration;
import java.util.Objects;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;

/**
 * The one GraalJS engine of the service, shared by every JavaScript app, plus the watchdog that enforces call
 * timeouts. Sharing the engine lets contexts share parsed code: a second context of the same script does not parse
 * it again.
 * <p>
 * On a stock JDK (not GraalVM) Truffle has no compiler here, so JavaScript runs in the interpreter only, which is
 * slow (about 100 ns per loop iteration once warm, far more in a cold JVM) but needs nothing beyond the Maven
 * artifacts; {@code engine.WarnInterpreterOnly=false} silences the warning about it.
 * <p>
 * What the sandbox can and cannot do on this edition (checked against polyglot 25.5.5.0.3):
 * <ul>
 * <li>{@code SandboxPolicy.CONSTRAINED} is accepted by the community edition, but its heap cap is not:
 * {@code sandbox.MaxHeapMemory} fails with "Heap memory limit is not supported on the current Truffle runtime", and
 * {@code ISOLATED} needs isolate artifacts that are not available. So no context has a heap limit of its own; memory
 * is bounded indirectly by {@link JsLimits} (statements, wall-clock time, string length, input and result size).
 * An {@code ArrayBuffer} of up to about 2 GiB can still be asked for in one statement: GraalJS turns a failed
 * allocation into a {@code RangeError}, but a heap near its limit is shared with the rest of the service.</li>
 * <li>{@code sandbox.MaxCPUTime} is accepted, but the watchdog ({@link JsWatchdog}) is used instead: it limits each
 * call by wall-clock time, which also covers a call that waits rather than computes.</li>
 * <li>The policy's other checks are applied by hand in {@link #newContext} instead, because CONSTRAINED refuses the
 * experimental option that removes the {@code Packages}/{@code java} globals.</li>
 * </ul>
 * Engine options: {@code load}, {@code print}, {@code Graal}, {@code Polyglot} and the Java package globals are
 * removed, and strings and typed arrays are capped at {@link JsLimits#maxStringChars()}. Four of these options are
 * experimental: they are allowed on the engine, which only this class configures, never on the contexts that run
 * user code. Console output is discarded.
 */
public final class JsEngine implements AutoCloseable {
    private final Engine engine;
    private final JsWatchdog watchdog;
    private final JsLimits limits;

    public JsEngine(JsLimits limits) {
        this(limits, JsWatchdog.realTime());
    }

    /** An engine whose call deadlines pass when {@code timer} says (tests). */
    JsEngine(JsLimits limits, JsWatchdog.Timer timer) {
        this.limits = Objects.requireNonNull(limits, "limits is null");
        this.engine = Engine.newBuilder("js")
                .option("engine.WarnInterpreterOnly", "false")
                .allowExperimentalOptions(true)
                .option("js.java-package-globals", "false")
                .option("js.polyglot-builtin", "false")
                .option("js.string-length-limit", Integer.toString(limits.maxStringChars()))
                .option("js.max-typed-array-length", Integer.toString(limits.maxStringChars()))
                .option("js.load", "false")
                .option("js.print", "false")
                .option("js.graal-builtin", "false")
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .build();
        this.watchdog = new JsWatchdog(timer);
    }

    public JsEngine() {
        this(JsLimits.DEFAULTS);
    }

    /** The service-wide limits; an app may only change its own timeout ({@link JsLimits#forApp}). */
    public JsLimits limits() {
        return limits;
    }

    /**
     * Runs typical app work (JSON, strings, a regex) for about {@code budget} so the JVM compiles the interpreter's
     * hot paths before real events arrive. In a cold JVM the first calls are many times slower than later ones (the
     * first regex alone took seconds here) and would hit a 100 ms timeout; call this once at startup, off the
     * request path.
     */
    public void warmUp(Duration budget) {
        try (Context context = newContext(Long.MAX_VALUE / 2)) {
            Value work = context.eval("js", """
                    (function (json) {
                      const event = JSON.parse(json);
                      event.properties.host = /^https?:\\/\\/([^/]+)/.exec(event.properties.url)[1].toLowerCase();
                      event.event = event.event.replace(/[^a-z]/g, '_') + Object.keys(event.properties).join();
                      return JSON.stringify(event).length;
                    })
                    """);
            String json = "{\"event\":\"$pageview\",\"properties\":{\"url\":\"https://Example.com/a\",\"n\":1}}";
            long end = System.nanoTime() + budget.toNanos();
            while (System.nanoTime() - end < 0) {
                work.execute(json);
            }
        }
    }

    /**
     * A sandboxed context: no Java classes or objects, no files, sockets, processes, threads, native code,
     * environment, other languages or experimental options; at most {@code statementLimit} statements between two
     * {@link Context#resetLimits()}. TRICKY: every context of an engine must be built with the same host access (a
     * context with a different one fails with an internal NullPointerException in polyglot 25.5), so this is the
     * only place that builds one.
     */
    Context newContext(long statementLimit) {
        return Context.newBuilder("js")
                .engine(engine)
                .allowHostAccess(HostAccess.NONE)
                .allowHostClassLookup(className -> false)
                .allowHostClassLoading(false)
                .allowIO(IOAccess.NONE)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowValueSharing(false)
                .allowInnerContextOptions(false)
                .allowExperimentalOptions(false)
                .resourceLimits(ResourceLimits.newBuilder().statementLimit(statementLimit, null).build())
                .build();
    }

    JsWatchdog watchdog() {
        return watchdog;
    }

    /** Closes the engine; apps built on it must be closed first. */
    @Override
    public void close() {
        watchdog.close();
        engine.close(true);
    }
}
