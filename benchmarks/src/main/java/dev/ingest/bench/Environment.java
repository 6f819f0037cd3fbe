package dev.ingest.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/** The stack ./platform bench started, from its environment variables; fails clearly without them. */
record Environment(String kafka, String postgresUrl, String postgresUser, String postgresPassword, String clickhouseUrls) {
    static Environment fromSystem() {
        String password = System.getenv("POSTGRES_PASSWORD");
        return new Environment(required("KAFKA_BOOTSTRAP_SERVERS"), required("POSTGRES_URL"), required("POSTGRES_USER"),
                password == null ? "" : password, required("CLICKHOUSE_URLS"));
    }

    private static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set: run the benchmarks with ./platform bench");
        }
        return value;
    }

    /** A fresh, empty database; the service started on it applies the Flyway migrations. */
    String createDatabase() throws SQLException {
        String name = "bench_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection connection = DriverManager.getConnection(postgresUrl, postgresUser, postgresPassword);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        }
        return postgresUrl.substring(0, postgresUrl.lastIndexOf('/') + 1) + name;
    }

    /** Adds project 1 with this token to a migrated database. */
    void insertProject(String url, String token) throws SQLException {
        insertProject(url, 1, token);
    }

    /** Adds project {@code id} with this token to a migrated database. */
    void insertProject(String url, long id, String token) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, postgresUser, postgresPassword);
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO team (id, uuid, name, api_token) VALUES (?, ?, 'bench', ?) ON CONFLICT DO NOTHING")) {
            insert.setLong(1, id);
            insert.setObject(2, UUID.randomUUID());
            insert.setString(3, token);
            insert.executeUpdate();
        }
    }

    /** Enables an app for a project (app_config), at the given position. */
    void insertApp(String url, long teamId, String app, String configJson, int position) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, postgresUser, postgresPassword);
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO app_config (team_id, app, config, position) VALUES (?, ?, ?::jsonb, ?)")) {
            insert.setLong(1, teamId);
            insert.setString(2, app);
            insert.setString(3, configJson);
            insert.setInt(4, position);
            insert.executeUpdate();
        }
    }
}
