package dev.ingest.e2e;

import dev.ingest.common.testing.TestingFaults;
import dev.ingest.common.testing.TestingStack;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One platform service run from the runnable jar the build made, as its own operating-system process, so that a
 * fault test's kill -9 is real. It keeps one port across restarts (clients and health checks keep their address) and
 * each start writes its own log file, kept as evidence.
 */
public final class ServiceProcess implements AutoCloseable {
    private static final String READINESS = "/actuator/health/readiness";

    private final String module;
    private final int port;
    private final Map<String, String> environment;
    private final List<String> arguments;
    private final Path logDirectory;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private Path log;
    private int starts;

    private ServiceProcess(String module, int port, Map<String, String> environment, List<String> arguments, Path logDirectory) {
        this.module = module;
        this.port = port;
        this.environment = Map.copyOf(environment);
        this.arguments = List.copyOf(arguments);
        this.logDirectory = logDirectory;
    }

    /**
     * A service of {@code module} (e.g. {@code plugin-service}) wired to the platform's Kafka and PostgreSQL database,
     * on a free port; {@code environment} adds or overrides settings (Spring relaxed binding). Not started yet.
     */
    public static ServiceProcess of(TestingPlatform platform, String module, Path logDirectory, Map<String, String> environment,
            String... arguments) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", TestingStack.kafkaBootstrapServers());
        env.put("POSTGRES_URL", platform.postgresUrl());
        env.put("POSTGRES_USER", TestingStack.postgresUser());
        env.put("POSTGRES_PASSWORD", TestingStack.postgresPassword());
        env.put("LOGGING_LEVEL_ORG_APACHE_KAFKA", "WARN");
        env.putAll(environment);
        return new ServiceProcess(module, freePort(), env, List.of(arguments), logDirectory);
    }

    public synchronized ServiceProcess start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(module + " is already running");
        }
        try {
            Files.createDirectories(logDirectory);
            starts++;
            log = logDirectory.resolve(module + "-" + starts + ".log");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx512m", "-XX:+UseG1GC", "-Duser.timezone=UTC",
                    "-Xlog:gc*:file=" + logDirectory.resolve(module + "-" + starts + "-gc.log") + ":uptime,level",
                    "-jar", runnableJar().toString(),
                    "--server.port=" + port, "--spring.main.banner-mode=off"));
            command.addAll(arguments);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            process = builder.start();
            return this;
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + module, e);
        }
    }

    /** kill -9: the process gets no chance to flush, commit or leave its consumer group. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            awaitExit();
        }
    }

    /** A graceful stop (SIGTERM), as an operator's restart would do; kill -9 if it takes over 30 s. */
    public synchronized void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            awaitExit();
        }
    }

    /** The operating-system process id of the latest start. */
    public synchronized long pid() {
        return process.pid();
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The readiness probe answers 200 (the services include their database and Kafka in it). */
    public boolean ready() {
        try {
            HttpRequest request = HttpRequest.newBuilder(url().resolve(READINESS)).timeout(Duration.ofSeconds(2)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public String module() {
        return module;
    }

    /** The log of the latest start. */
    public synchronized Path log() {
        return log;
    }

    @Override
    public void close() {
        stop();
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(module + " did not exit");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Path runnableJar() throws IOException {
        Path target = TestingFaults.projectRoot().resolve(module).resolve("target");
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches(module + "-.*-exec\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no runnable " + module + " jar in " + target
                            + ": the build packages it before the integration tests"));
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
