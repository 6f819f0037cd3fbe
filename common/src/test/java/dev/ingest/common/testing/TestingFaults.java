package dev.ingest.common.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Stops and starts parts of the running test stack through ./platform, for fault tests. The stack is the one named
 * by {@code PLATFORM_ENV} (set by stack.env: {@code test} for ./platform test, {@code faults} for ./platform faults).
 */
public final class TestingFaults {
    private TestingFaults() {}

    public static void stop(String part) {
        platform("stop", part);
    }

    public static void start(String part) {
        platform("start", part);
    }

    /** kill -9; a killed service instance is started again by its supervisor. */
    public static void kill(String part) {
        platform("kill", part);
    }

    /** Restarts a service instance as a rolling restart does: stopped gracefully, started, awaited until ready. */
    public static void restart(String instance) {
        platform("restart", instance);
    }

    /**
     * Cuts the instance that runs in a network namespace of its own (the cluster's plugin-service-2, as root) off the
     * machine: every packet between them is dropped while the process keeps running.
     */
    public static void partition(String instance) {
        platform("partition", instance);
    }

    /** Ends {@link #partition}: the instance reaches Kafka and PostgreSQL again. */
    public static void heal(String instance) {
        platform("heal", instance);
    }

    private static void platform(String action, String part) {
        Path root = projectRoot();
        ProcessBuilder builder = new ProcessBuilder("bash", root.resolve("platform").toString(), "stack", action, part,
                        environment())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT);
        try {
            Process process = builder.start();
            if (!process.waitFor(300, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("./platform stack " + action + " " + part + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String environment() {
        String name = System.getProperty("PLATFORM_ENV", System.getenv("PLATFORM_ENV"));
        return name == null || name.isBlank() ? "test" : name;
    }

    /** The checkout's root: the nearest directory above the working directory that holds ./platform. */
    public static Path projectRoot() {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("platform"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no ./platform above " + System.getProperty("user.dir"));
    }
}
