package dev.ingest.plugin.testing;

import dev.ingest.common.testing.TestingPostgres;
import dev.ingest.common.testing.TestingStack;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** A fresh PostgreSQL database on the test stack with every migration applied, for one test class. */
public final class MigratedDatabase {
    private MigratedDatabase() {}

    public static DataSource create(String prefix) {
        DataSource dataSource = new DriverManagerDataSource(TestingPostgres.createDatabase(prefix), TestingStack.postgresUser(),
                TestingStack.postgresPassword());
        Flyway.configure().dataSource(dataSource).load().migrate();
        return dataSource;
    }
}
