package dev.ingest.decide.store;

import static dev.ingest.decide.store.ProjectRepository.instant;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/** Personal API keys, stored as the SHA-256 (hex) of the key in {@code secure_value}. */
@Repository
public class ApiKeyRepository {
    private static final String COLUMNS = "id, label, mask_value, scoped_teams, created_at, last_used_at";
    private static final RowMapper<ApiKeyRow> ROW = ApiKeyRepository::row;

    private final JdbcTemplate jdbc;

    public ApiKeyRepository(JdbcTemplate jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc is null");
    }

    /** Stores a key by its hash; {@code scopedTeams} null means every project. */
    public ApiKeyRow insert(String label, String secureValue, String maskValue, Collection<Long> scopedTeams) {
        return jdbc.query(connection -> {
            var statement = connection.prepareStatement("INSERT INTO personal_api_key (label, secure_value,"
                    + " mask_value, scoped_teams) VALUES (?, ?, ?, ?) RETURNING " + COLUMNS);
            statement.setString(1, label);
            statement.setString(2, secureValue);
            statement.setString(3, maskValue);
            if (scopedTeams == null) {
                statement.setNull(4, Types.ARRAY);
            } else {
                statement.setArray(4, ProjectRepository.bigintArray(connection, scopedTeams));
            }
            return statement;
        }, ROW).getFirst();
    }

    public Optional<ApiKeyRow> findBySecureValue(String secureValue) {
        return jdbc.query("SELECT " + COLUMNS + " FROM personal_api_key WHERE secure_value = ?", ROW, secureValue)
                .stream().findFirst();
    }

    /** Records a use, at most once an hour per key (PostHog does the same), so authentication rarely writes. */
    public void touch(long id) {
        jdbc.update("UPDATE personal_api_key SET last_used_at = now() WHERE id = ?"
                + " AND (last_used_at IS NULL OR last_used_at < now() - interval '1 hour')", id);
    }

    /** Every key, newest first. */
    public List<ApiKeyRow> list() {
        return jdbc.query("SELECT " + COLUMNS + " FROM personal_api_key ORDER BY created_at DESC, id DESC", ROW);
    }

    public Optional<ApiKeyRow> find(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM personal_api_key WHERE id = ?", ROW, id).stream().findFirst();
    }

    public boolean delete(long id) {
        return jdbc.update("DELETE FROM personal_api_key WHERE id = ?", id) == 1;
    }

    private static ApiKeyRow row(ResultSet rs, int n) throws SQLException {
        Array teams = rs.getArray("scoped_teams");
        Set<Long> scopedTeams = null;
        if (teams != null) {
            scopedTeams = new TreeSet<>();
            for (Object team : (Object[]) teams.getArray()) {
                scopedTeams.add(((Number) team).longValue());
            }
            scopedTeams = Collections.unmodifiableSet(scopedTeams);
        }
        return new ApiKeyRow(
                rs.getLong("id"),
                rs.getString("label"),
                rs.getString("mask_value"),
                scopedTeams,
                instant(rs, "created_at"),
                instant(rs, "last_used_at"));
    }
}
