package dev.ingest.plugin.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingest.common.db.CommentOnlyRevisions;
import dev.ingest.plugin.testing.MigratedDatabase;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** An install that applied the earlier text of a migration keeps starting; any other edit still stops it. */
class CommentOnlyRevisionsIT {
    /** What Flyway recorded for V2 before its comments were rewritten. */
    private static final int EARLIER_V2 = -156204104;

    private static Flyway flyway(DataSource dataSource, boolean withCallback) {
        var configuration = Flyway.configure().dataSource(dataSource);
        if (withCallback) {
            configuration.callbacks(new CommentOnlyRevisions());
        }
        return configuration.load();
    }

    @Test
    void anInstallWithTheEarlierTextIsRealignedAndMigrates() {
        DataSource dataSource = MigratedDatabase.create("revisions_ok");
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        int today = jdbc.queryForObject("SELECT checksum FROM flyway_schema_history WHERE version = '2'", Integer.class);
        jdbc.update("UPDATE flyway_schema_history SET checksum = ? WHERE version = '2'", EARLIER_V2);

        assertThatThrownBy(() -> flyway(dataSource, false).migrate()).as("Flyway alone refuses it")
                .isInstanceOf(FlywayException.class);
        flyway(dataSource, true).migrate();

        assertThat(jdbc.queryForObject("SELECT checksum FROM flyway_schema_history WHERE version = '2'", Integer.class))
                .isEqualTo(today);
    }

    @Test
    void anyOtherEditStillStopsTheMigration() {
        DataSource dataSource = MigratedDatabase.create("revisions_edit");
        new JdbcTemplate(dataSource).update("UPDATE flyway_schema_history SET checksum = 12345 WHERE version = '2'");

        assertThatThrownBy(() -> flyway(dataSource, true).migrate()).isInstanceOf(FlywayException.class)
                .hasMessageContaining("checksum");
    }
}
