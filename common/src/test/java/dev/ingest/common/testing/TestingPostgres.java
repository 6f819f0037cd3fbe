package dev.ingest.common.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/** Creates a fresh, empty PostgreSQL database on the test stack for one test class: tests own their data. */
public final class TestingPostgres {
    private TestingPostgres() {}

    /** Returns the JDBC URL of a new database named {@code prefix_<random>}. */
    public static String createDatabase(String prefix) {
        String name = (prefix + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_]", "_");
        try (Connection connection = connect(TestingStack.postgresUrl());
                Statement statement = connection.createStatement()) {
            // TRICKY: CREATE DATABASE takes no bind parameters; the name is built above from [a-z0-9_] only.
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test database " + name, e);
        }
        String base = TestingStack.postgresUrl();
        return base.substring(0, base.lastIndexOf('/') + 1) + name;
    }

    public static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, TestingStack.postgresUser(), TestingStack.postgresPassword());
    }
}
