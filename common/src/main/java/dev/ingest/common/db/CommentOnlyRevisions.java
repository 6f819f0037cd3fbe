package dev.ingest.common.db;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.zip.CRC32;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;

/**
 * Lets applied PostgreSQL migrations have their comments rewritten: before Flyway validates, the history row of a
 * migration that still carries the checksum of a known earlier text gets the checksum of today's text. Only the
 * listed (version, earlier checksum) pairs move, so any other edit of an applied migration still stops the service,
 * as Flyway means it to. The checksum is Flyway's: CRC32 over each line's UTF-8 bytes, line breaks left out.
 *
 * <p>Spring Boot's Flyway setup applies every {@link Callback} bean; the services declare this one.
 */
public final class CommentOnlyRevisions implements Callback {
    /** A migration whose text changed only in comments since it was first released, and that text's checksum. */
    record Revision(String version, String script, int earlierChecksum) {}

    /** The references to documents outside the repository were rewritten in these migrations' comments. */
    static final List<Revision> REVISIONS = List.of(
            new Revision("2", "db/migration/V2__persons_and_groups.sql", -156204104),
            new Revision("3", "db/migration/V3__flags_cohorts_keys.sql", 1468597491));

    private final List<Revision> revisions;

    public CommentOnlyRevisions() {
        this(REVISIONS);
    }

    CommentOnlyRevisions(List<Revision> revisions) {
        this.revisions = List.copyOf(revisions);
    }

    @Override
    public boolean supports(Event event, Context context) {
        return event == Event.BEFORE_VALIDATE || event == Event.BEFORE_MIGRATE;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
        return true;
    }

    @Override
    public void handle(Event event, Context context) {
        String table = context.getConfiguration().getTable();
        try {
            realign(context.getConnection(), table);
        } catch (SQLException e) {
            throw new IllegalStateException("could not realign the checksums of comment-only migration revisions", e);
        }
    }

    @Override
    public String getCallbackName() {
        return "comment-only migration revisions";
    }

    /** Moves the listed earlier checksums to today's; a database without a history table yet has nothing to move. */
    void realign(Connection connection, String table) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            exists.setString(1, table);
            try (ResultSet rs = exists.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return;
                }
            }
        }
        // The table name is Flyway's configuration, not input; it is quoted as an identifier.
        String sql = "UPDATE \"" + table.replace("\"", "\"\"") + "\" SET checksum = ? WHERE version = ? AND checksum = ?";
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            for (Revision revision : revisions) {
                update.setInt(1, checksum(revision.script()));
                update.setString(2, revision.version());
                update.setInt(3, revision.earlierChecksum());
                update.executeUpdate();
            }
        }
    }

    /** Flyway's checksum of a classpath script. */
    static int checksum(String script) {
        try (InputStream in = CommentOnlyRevisions.class.getClassLoader().getResourceAsStream(script)) {
            if (in == null) {
                throw new IllegalStateException("missing migration " + script);
            }
            CRC32 crc = new CRC32();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                crc.update((line.startsWith("\uFEFF") ? line.substring(1) : line).getBytes(StandardCharsets.UTF_8));
            }
            return (int) crc.getValue();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
