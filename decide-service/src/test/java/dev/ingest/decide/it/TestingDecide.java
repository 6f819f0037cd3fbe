package dev.ingest.decide.it;

import dev.ingest.common.json.Json;
import dev.ingest.common.testing.TestingPostgres;
import dev.ingest.common.testing.TestingStack;
import dev.ingest.decide.DecideApplication;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * decide-service in this JVM on a fresh PostgreSQL database of the test stack, with helpers that write what the
 * plugin service and the management API would (projects, persons, groups, flags, cohorts) straight into PostgreSQL.
 */
public final class TestingDecide {
    public static final String BOOTSTRAP_KEY = "phx_bootstrap_" + UUID.randomUUID().toString().replace("-", "");

    private static TestingDecide instance;

    private final String postgresUrl;
    private final ConfigurableApplicationContext context;
    private final HttpClient http = HttpClient.newHttpClient();

    private TestingDecide() {
        postgresUrl = TestingPostgres.createDatabase("decide_it");
        context = DecideApplication.builder().run("--server.port=0", "--spring.main.banner-mode=off",
                "--spring.datasource.url=" + postgresUrl, "--spring.datasource.username=" + TestingStack.postgresUser(),
                "--ingest.decide.bootstrap-personal-api-key=" + BOOTSTRAP_KEY);
    }

    public static synchronized TestingDecide get() {
        if (instance == null) {
            instance = new TestingDecide();
            Runtime.getRuntime().addShutdownHook(new Thread(instance.context::close));
        }
        return instance;
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + path);
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> postJson(String path, String json) {
        return send(HttpRequest.newBuilder(url(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public record Project(long id, String token) {}

    public Project createProject() {
        long id = ThreadLocalRandom.current().nextLong(1_000_000, 2_000_000_000);
        String token = "phc_" + UUID.randomUUID().toString().replace("-", "");
        update("INSERT INTO team (id, uuid, name, api_token) VALUES (?, ?, 'decide it', ?)", id, UUID.randomUUID(), token);
        return new Project(id, token);
    }

    public long createFlag(long teamId, String key, String filtersJson, boolean continuity) {
        return queryLong("INSERT INTO feature_flag (team_id, key, name, filters, ensure_experience_continuity) VALUES"
                + " (?, ?, ?, ?::jsonb, ?) RETURNING id", teamId, key, key, filtersJson.replace('\'', '"'), continuity);
    }

    /** Sets where a flag is evaluated: {@code runtime} all/server/client, and its evaluation environments. */
    public void setFlagEnvironments(long flagId, String runtime, String... contexts) {
        update("UPDATE feature_flag SET evaluation_runtime = ?, evaluation_contexts = ?::text[], version = version + 1,"
                + " updated_at = now() WHERE id = ?", runtime, "{" + String.join(",", contexts) + "}", flagId);
    }

    public void updateFlagFilters(long flagId, String filtersJson) {
        update("UPDATE feature_flag SET filters = ?::jsonb, version = version + 1, updated_at = now() WHERE id = ?",
                filtersJson.replace('\'', '"'), flagId);
    }

    public long createPerson(long teamId, String distinctId, String propertiesJson) {
        long person = queryLong("INSERT INTO person (uuid, team_id, created_at, properties) VALUES (?, ?, now(), ?::jsonb)"
                + " RETURNING id", UUID.randomUUID(), teamId, propertiesJson.replace('\'', '"'));
        update("INSERT INTO person_distinct_id (team_id, person_id, distinct_id) VALUES (?, ?, ?)", teamId, person, distinctId);
        return person;
    }

    public void createGroup(long teamId, int index, String type, String key, String propertiesJson) {
        update("INSERT INTO group_type_mapping (team_id, group_type, group_type_index) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                teamId, type, index);
        update("INSERT INTO team_group (team_id, group_type_index, group_key, group_properties, created_at) VALUES (?, ?, ?, ?::jsonb, now())",
                teamId, index, key, propertiesJson.replace('\'', '"'));
    }

    public long createCohort(long teamId, String filtersJson, boolean isStatic) {
        return queryLong("INSERT INTO cohort (team_id, name, filters, is_static) VALUES (?, 'c', ?::jsonb, ?) RETURNING id",
                teamId, filtersJson.replace('\'', '"'), isStatic);
    }

    public void addToCohort(long cohortId, long personId) {
        update("INSERT INTO cohort_person (cohort_id, person_id) VALUES (?, ?)", cohortId, personId);
    }

    public long count(String sql, Object... args) {
        return queryLong(sql, args);
    }

    /** Runs a write of this environment's database (rows other services would have written). */
    public void execute(String sql, Object... args) {
        update(sql, args);
    }

    private void update(String sql, Object... args) {
        try (Connection connection = TestingPostgres.connect(postgresUrl); PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, args);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long queryLong(String sql, Object... args) {
        try (Connection connection = TestingPostgres.connect(postgresUrl); PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, args);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void bind(PreparedStatement statement, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            statement.setObject(i + 1, args[i]);
        }
    }

    static String json(Object value) {
        return Json.write(value);
    }
}
