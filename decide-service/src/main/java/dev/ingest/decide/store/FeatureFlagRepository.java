package dev.ingest.decide.store;

import static dev.ingest.decide.store.ProjectRepository.instant;

import dev.ingest.common.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Feature flags. Every query is filtered by {@code team_id}, so a project never reads or writes another's flags. Every
 * write bumps {@code version} and sets {@code updated_at = now()}: decide refreshes its cache from {@code updated_at}.
 * A live key is unique per project (index {@code feature_flag_team_key_live}); writes that break it throw
 * {@link DuplicateKeyException}.
 */
@Repository
public class FeatureFlagRepository {
    private static final String COLUMNS = "id, team_id, key, name, filters::text AS filters, active, deleted,"
            + " ensure_experience_continuity, version, created_at, updated_at";
    private static final RowMapper<FeatureFlagRow> ROW = FeatureFlagRepository::row;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    public FeatureFlagRepository(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc is null");
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** Live (not deleted) flags, newest first, as PostHog lists them. */
    public List<FeatureFlagRow> listLive(long teamId, int limit, long offset) {
        return jdbc.query("SELECT " + COLUMNS + " FROM feature_flag WHERE team_id = ? AND NOT deleted"
                + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?", ROW, teamId, limit, offset);
    }

    public long countLive(long teamId) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM feature_flag WHERE team_id = ? AND NOT deleted", Long.class, teamId);
    }

    /** A flag of this project, deleted or not. */
    public Optional<FeatureFlagRow> find(long teamId, long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM feature_flag WHERE team_id = ? AND id = ?", ROW, teamId, id)
                .stream().findFirst();
    }

    public FeatureFlagRow insert(long teamId, FeatureFlagDraft draft) throws DuplicateKeyException {
        return jdbc.queryForObject("INSERT INTO feature_flag (team_id, key, name, filters, active, deleted,"
                        + " ensure_experience_continuity) VALUES (?, ?, ?, ?::jsonb, ?, ?, ?) RETURNING " + COLUMNS,
                ROW, teamId, draft.key(), draft.name(), Json.write(draft.filters()), draft.active(), draft.deleted(),
                draft.ensureExperienceContinuity());
    }

    /**
     * Applies {@code change} to the current flag under a row lock and stores the result; empty when the flag is not
     * this project's. An exception from {@code change} rolls back and propagates.
     */
    public Optional<FeatureFlagRow> update(long teamId, long id, UnaryOperator<FeatureFlagDraft> change)
            throws DuplicateKeyException {
        return transactions.execute(status -> {
            Optional<FeatureFlagRow> current = jdbc.query("SELECT " + COLUMNS
                    + " FROM feature_flag WHERE team_id = ? AND id = ? FOR UPDATE", ROW, teamId, id).stream().findFirst();
            if (current.isEmpty()) {
                return Optional.empty();
            }
            FeatureFlagDraft next = change.apply(current.get().draft());
            return Optional.of(jdbc.queryForObject("UPDATE feature_flag SET key = ?, name = ?, filters = ?::jsonb,"
                            + " active = ?, deleted = ?, ensure_experience_continuity = ?, version = version + 1,"
                            + " updated_at = now() WHERE team_id = ? AND id = ? RETURNING " + COLUMNS,
                    ROW, next.key(), next.name(), Json.write(next.filters()), next.active(), next.deleted(),
                    next.ensureExperienceContinuity(), teamId, id));
        });
    }

    /** Marks the flag deleted (its key becomes free); false when it is not this project's. */
    public boolean softDelete(long teamId, long id) {
        return jdbc.update("UPDATE feature_flag SET deleted = TRUE, version = version + 1, updated_at = now()"
                + " WHERE team_id = ? AND id = ?", teamId, id) == 1;
    }

    private static FeatureFlagRow row(ResultSet rs, int n) throws SQLException {
        return new FeatureFlagRow(
                rs.getLong("id"),
                rs.getLong("team_id"),
                rs.getString("key"),
                rs.getString("name"),
                Json.read(rs.getString("filters")),
                rs.getBoolean("active"),
                rs.getBoolean("deleted"),
                rs.getBoolean("ensure_experience_continuity"),
                rs.getInt("version"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }
}
