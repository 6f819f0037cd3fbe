package dev.ingest.decide.store;

import java.security.SecureRandom;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/** Projects ({@code team}). Every statement is parameterised. */
@Repository
public class ProjectRepository {
    private static final String COLUMNS =
            "id, uuid, name, api_token, anonymize_ips, person_processing_opt_out, drop_events_older_than_seconds,"
                    + " heatmaps_opt_in, cookieless_server_hash_mode, created_at, updated_at";
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int TOKEN_RANDOM_CHARS = 40;
    private static final RowMapper<ProjectRow> ROW = ProjectRepository::row;

    private final JdbcTemplate jdbc;
    private final SecureRandom random = new SecureRandom();

    public ProjectRepository(JdbcTemplate jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc is null");
    }

    /** Creates a project with a new random api token ({@code phc_} + 40 alphanumerics). */
    public ProjectRow create(String name, boolean anonymizeIps) {
        for (int attempt = 1; ; attempt++) {
            try {
                return jdbc.queryForObject(
                        "INSERT INTO team (uuid, name, api_token, anonymize_ips) VALUES (?, ?, ?, ?) RETURNING " + COLUMNS,
                        ROW, UUID.randomUUID(), name, newApiToken(), anonymizeIps);
            } catch (DuplicateKeyException collision) {
                // 62^40 tokens: a collision is practically impossible, but a retry costs nothing.
                if (attempt == 3) {
                    throw collision;
                }
            }
        }
    }

    public Optional<ProjectRow> find(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM team WHERE id = ?", ROW, id).stream().findFirst();
    }

    public boolean exists(long id) {
        return !jdbc.queryForList("SELECT id FROM team WHERE id = ?", Long.class, id).isEmpty();
    }

    /** The ids among {@code ids} that are projects. */
    public List<Long> existing(Collection<Long> ids) {
        return jdbc.query(connection -> {
            var statement = connection.prepareStatement("SELECT id FROM team WHERE id = ANY(?) ORDER BY id");
            statement.setArray(1, bigintArray(connection, ids));
            return statement;
        }, (rs, n) -> rs.getLong(1));
    }

    /** Projects in id order; {@code scope} null means all of them. */
    public List<ProjectRow> list(Collection<Long> scope, int limit, long offset) {
        if (scope == null) {
            return jdbc.query("SELECT " + COLUMNS + " FROM team ORDER BY id LIMIT ? OFFSET ?", ROW, limit, offset);
        }
        return jdbc.query(connection -> {
            var statement = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM team WHERE id = ANY(?) ORDER BY id LIMIT ? OFFSET ?");
            statement.setArray(1, bigintArray(connection, scope));
            statement.setInt(2, limit);
            statement.setLong(3, offset);
            return statement;
        }, ROW);
    }

    public long count(Collection<Long> scope) {
        if (scope == null) {
            return jdbc.queryForObject("SELECT count(*) FROM team", Long.class);
        }
        return jdbc.query(connection -> {
            var statement = connection.prepareStatement("SELECT count(*) FROM team WHERE id = ANY(?)");
            statement.setArray(1, bigintArray(connection, scope));
            return statement;
        }, (rs, n) -> rs.getLong(1)).getFirst();
    }

    /**
     * Sets the given settings (null leaves one unchanged; for {@code dropEventsOlderThanSeconds} an empty optional
     * clears it); empty when the project does not exist.
     */
    public Optional<ProjectRow> update(long id, String name, Boolean anonymizeIps, Boolean personProcessingOptOut,
            Optional<Integer> dropEventsOlderThanSeconds, Boolean heatmapsOptIn, Integer cookielessServerHashMode) {
        return jdbc.query("UPDATE team SET name = coalesce(?, name), anonymize_ips = coalesce(?, anonymize_ips),"
                        + " person_processing_opt_out = coalesce(?, person_processing_opt_out),"
                        + " drop_events_older_than_seconds = CASE WHEN ? THEN ?::integer ELSE drop_events_older_than_seconds END,"
                        + " heatmaps_opt_in = coalesce(?, heatmaps_opt_in),"
                        + " cookieless_server_hash_mode = coalesce(?::smallint, cookieless_server_hash_mode),"
                        + " updated_at = now() WHERE id = ? RETURNING " + COLUMNS,
                ROW, name, anonymizeIps, personProcessingOptOut, dropEventsOlderThanSeconds != null,
                dropEventsOlderThanSeconds == null ? null : dropEventsOlderThanSeconds.orElse(null), heatmapsOptIn,
                cookielessServerHashMode, id)
                .stream().findFirst();
    }

    private String newApiToken() {
        StringBuilder token = new StringBuilder("phc_");
        for (int i = 0; i < TOKEN_RANDOM_CHARS; i++) {
            token.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
        }
        return token.toString();
    }

    static Array bigintArray(Connection connection, Collection<Long> ids) throws SQLException {
        return connection.createArrayOf("bigint", ids.toArray());
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static ProjectRow row(ResultSet rs, int n) throws SQLException {
        return new ProjectRow(
                rs.getLong("id"),
                rs.getObject("uuid", UUID.class),
                rs.getString("name"),
                rs.getString("api_token"),
                rs.getBoolean("anonymize_ips"),
                rs.getBoolean("person_processing_opt_out"),
                rs.getObject("drop_events_older_than_seconds", Integer.class),
                rs.getObject("heatmaps_opt_in", Boolean.class),
                rs.getInt("cookieless_server_hash_mode"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }
}
