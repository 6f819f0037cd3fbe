package dev.ingest.plugin.apps.js;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * One worker process ({@link JsWorkerMain}) and its pipe: a request, then its answer within a deadline. A worker that
 * dies, or does not answer in time (it is then killed), fails the request with {@link Died}. Not thread-safe: its
 * owner ({@link JsWorkerApp}) sends one request at a time.
 */
public final class JsWorker implements AutoCloseable {
    /** Exit status of a JVM ended by {@code -XX:+ExitOnOutOfMemoryError}. */
    private static final int OUT_OF_MEMORY_EXIT = 3;

    private final Process process;
    private final DataOutputStream out;
    private final DataInputStream in;
    private final String heap;

    private JsWorker(Process process, String heap) {
        this.process = process;
        this.heap = heap;
        this.out = new DataOutputStream(new BufferedOutputStream(process.getOutputStream()));
        this.in = new DataInputStream(new BufferedInputStream(process.getInputStream()));
    }

    /** How a worker JVM is started: the java binary, the classes, the heap cap and the operator's limits. */
    public record Launch(Path java, List<String> classpathArguments, String heap, Duration timeout, long statementLimit) {
        /** This JVM's own classes: the exploded classpath in tests, the service's runnable jar in production. */
        public static List<String> ofThisJvm() {
            String classpath = System.getProperty("java.class.path");
            if (isSpringBootJar(classpath)) {
                // A Spring Boot runnable jar: its launcher finds the nested jars and runs the worker's main class.
                return List.of("-cp", classpath, "-Dloader.main=" + JsWorkerMain.class.getName(),
                        "org.springframework.boot.loader.launch.PropertiesLauncher");
            }
            return List.of("-cp", classpath, JsWorkerMain.class.getName());
        }

        /** One jar whose manifest starts Spring Boot's launcher (not, say, a test runner's manifest-only jar). */
        private static boolean isSpringBootJar(String classpath) {
            if (classpath.contains(File.pathSeparator) || !classpath.endsWith(".jar")) {
                return false;
            }
            try (JarFile jar = new JarFile(classpath)) {
                Manifest manifest = jar.getManifest();
                String main = manifest == null ? null : manifest.getMainAttributes().getValue("Main-Class");
                return main != null && main.startsWith("org.springframework.boot.loader");
            } catch (IOException e) {
                return false;
            }
        }
    }

    static JsWorker start(Launch launch) throws IOException {
        List<String> command = new ArrayList<>(List.of(launch.java().toString(), "-Xmx" + launch.heap(),
                "-Xss2m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
                "-Dpolyglot.engine.WarnInterpreterOnly=false"));
        command.addAll(launch.classpathArguments());
        command.add(Long.toString(launch.timeout().toMillis()));
        command.add(Long.toString(launch.statementLimit()));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new JsWorker(process, launch.heap());
    }

    /** Sends a request and waits for its answer at most {@code deadline}. */
    JsFrames exchange(int code, String a, String b, String c, Duration deadline) throws Died {
        CompletableFuture<JsFrames> answer = CompletableFuture.supplyAsync(() -> {
            try {
                JsFrames.write(out, code, a, b, c);
                return JsFrames.read(in);
            } catch (IOException e) {
                return null;
            }
        }, runnable -> Thread.ofVirtual().start(runnable));
        JsFrames frame;
        try {
            frame = answer.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            kill();
            throw new Died("its worker did not answer within " + deadline.toMillis() + " ms and was stopped");
        } catch (ExecutionException e) {
            frame = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new Died("interrupted");
        }
        if (frame == null) {
            throw new Died(exitReason());
        }
        return frame;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    private String exitReason() {
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                kill();
                return "its worker stopped answering and was stopped";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int status = process.exitValue();
        return status == OUT_OF_MEMORY_EXIT
                ? "its worker ran out of memory (a JavaScript app's heap is capped at " + heap + ")"
                : "its worker exited with status " + status;
    }

    private void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            // The worker is gone already.
        }
        try {
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    /** The worker died or was stopped: why, in words for the project. */
    static final class Died extends Exception {
        Died(String reason) {
            super(reason, null, false, false);
        }
    }
}
