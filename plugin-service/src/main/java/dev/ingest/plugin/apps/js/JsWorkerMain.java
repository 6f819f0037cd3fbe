package dev.ingest.plugin.apps.js;

import dev.ingest.common.json.Json;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.stream.Collectors;

/**
 * A JavaScript worker process: one app's script on its own GraalJS engine, in a JVM whose heap is capped by the
 * parent ({@code -Xmx}, with {@code -XX:+ExitOnOutOfMemoryError}), so a script that allocates without end ends this
 * process and nothing else. Reads {@link JsFrames} from stdin, answers on stdout; stdout is reserved for frames, so
 * everything else printed goes to stderr. Arguments: the call timeout in ms and the statement limit (the operator's
 * limits, which the app's config cannot raise).
 */
public final class JsWorkerMain {
    private JsWorkerMain() {}

    public static void main(String[] args) throws Exception {
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)));
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        DataInputStream in = new DataInputStream(new BufferedInputStream(System.in));
        JsLimits limits = JsLimits.DEFAULTS.withTimeout(Duration.ofMillis(Long.parseLong(args[0])))
                .withStatementLimit(Long.parseLong(args[1])).withContexts(1);
        try (JsEngine engine = new JsEngine(limits)) {
            engine.warmUp(Duration.ofMillis(500));
            JsApp app = null;
            JsFrames request;
            while ((request = JsFrames.read(in)) != null) {
                try {
                    switch (request.code()) {
                        case JsFrames.LOAD -> {
                            if (app != null) {
                                app.close();
                            }
                            app = JsApp.fromConfig(engine, Json.read(request.a()));
                            JsFrames.write(out, JsFrames.OK, app.definedHooks().stream().map(JsHook::jsName)
                                    .collect(Collectors.joining(",")), null, null);
                        }
                        case JsFrames.CALL -> {
                            if (app == null) {
                                throw new JsAppException(JsAppException.Kind.INTERNAL, "no script loaded");
                            }
                            JsFrames.write(out, JsFrames.OK, app.callJson(JsHook.ofJsName(request.a()), request.b(),
                                    request.c()), null, null);
                        }
                        default -> throw new JsAppException(JsAppException.Kind.INTERNAL, "unknown request "
                                + request.code());
                    }
                } catch (JsAppException e) {
                    JsFrames.write(out, JsFrames.ERROR, e.getMessage(), e.kind().name(), null);
                } catch (IllegalArgumentException e) {
                    JsFrames.write(out, JsFrames.ERROR, e.getMessage(), "BAD_RESULT", null);
                }
            }
        }
    }
}
