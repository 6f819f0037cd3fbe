package dev.ingest.capture.it;

import dev.ingest.capture.CaptureApplication;
import dev.ingest.common.testing.TestingPostgres;
import dev.ingest.common.testing.TestingStack;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * capture-service running in this JVM against the real Kafka of ./platform test and a fresh PostgreSQL database.
 * One per test JVM; tests create their own projects and read Kafka filtered by their tokens.
 */
public final class TestingCapture {
    /** A token whose key "token:hot-user" is forced to overflow, to test routing without waiting for a rate. */
    public static final String OVERFLOW_TOKEN = "phc_overflow_" + UUID.randomUUID().toString().substring(0, 8);
    /** Events older than this many days go to the historical topic. */
    public static final int HISTORICAL_AGE_DAYS = 3650;
    /** A token configured as historical. */
    public static final String HISTORICAL_TOKEN = "phc_historical_" + UUID.randomUUID().toString().substring(0, 8);

    private static TestingCapture instance;

    private final String postgresUrl;
    private final ConfigurableApplicationContext context;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private TestingCapture() {
        postgresUrl = TestingPostgres.createDatabase("capture_it");
        context = CaptureApplication.builder().run(
                "--server.port=0",
                "--spring.main.banner-mode=off",
                "--spring.datasource.url=" + postgresUrl,
                "--spring.datasource.username=" + TestingStack.postgresUser(),
                "--spring.kafka.bootstrap-servers=" + TestingStack.kafkaBootstrapServers(),
                "--logging.level.org.apache.kafka=ERROR",
                "--ingest.capture.overflow.forced-keys=" + OVERFLOW_TOKEN + ":hot-user",
                "--ingest.capture.historical-tokens=" + HISTORICAL_TOKEN,
                // Old enough that only the events of the test that means it are rerouted by age.
                "--ingest.capture.historical-older-than=" + HISTORICAL_AGE_DAYS + "d");
    }

    public static synchronized TestingCapture get() {
        if (instance == null) {
            instance = new TestingCapture();
            Runtime.getRuntime().addShutdownHook(new Thread(instance.context::close));
        }
        return instance;
    }

    public String postgresUrl() {
        return postgresUrl;
    }

    public URI url(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + pathAndQuery);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** Creates a project with this token (or a random one when null) and returns its id. */
    public long createProject(String token) {
        long id = ThreadLocalRandom.current().nextLong(1_000_000, 2_000_000_000);
        try (Connection connection = TestingPostgres.connect(postgresUrl);
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO team (id, uuid, name, api_token) VALUES (?, ?, 'capture it', ?)")) {
            insert.setLong(1, id);
            insert.setObject(2, UUID.randomUUID());
            insert.setString(3, token);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return id;
    }

    public static String newToken() {
        return "phc_" + UUID.randomUUID().toString().replace("-", "");
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> post(String pathAndQuery, byte[] body, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(pathAndQuery)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request);
    }
}
