package dev.ingest.decide.store;

import static dev.ingest.decide.store.ProjectRepository.instant;

import dev.ingest.common.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The apps of a project ({@code app_config}, migration V4). Every query is filtered by {@code team_id}, so a project
 * never reads or writes another's apps. Every write sets {@code updated_at = now()}. plugin-service re-reads a
 * project's enabled rows (by position, then id) about every 10 s, so a write here applies there without a restart.
 */
@Repository
public class AppConfigRepository {
    private static final String COLUMNS =
            "id, team_id, app, config::text AS config, position, enabled, disabled_reason, created_at, updated_at";
    private static final RowMapper<AppConfigRow> ROW = AppConfigRepository::row;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    public AppConfigRepository(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc is null");
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** The project's apps in the order plugin-service runs them: by position, then id (disabled ones included). */
    public List<AppConfigRow> list(long teamId, int limit, long offset) {
        return jdbc.query("SELECT " + COLUMNS + " FROM app_config WHERE team_id = ?"
                + " ORDER BY position, id LIMIT ? OFFSET ?", ROW, teamId, limit, offset);
    }

    public long count(long teamId) {
        return jdbc.queryForObject("SELECT count(*) FROM app_config WHERE team_id = ?", Long.class, teamId);
    }

    public Optional<AppConfigRow> find(long teamId, long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM app_config WHERE team_id = ? AND id = ?", ROW, teamId, id)
                .stream().findFirst();
    }

    public AppConfigRow insert(long teamId, AppConfigDraft draft) {
        return jdbc.queryForObject("INSERT INTO app_config (team_id, app, config, position, enabled)"
                        + " VALUES (?, ?, ?::jsonb, ?, ?) RETURNING " + COLUMNS,
                ROW, teamId, draft.app(), Json.write(draft.config()), draft.position(), draft.enabled());
    }

    /**
     * Applies {@code change} to the current app under a row lock and stores the result; empty when the app is not
     * this project's. An exception from {@code change} rolls back and propagates. The lock makes "keep the stored
     * secret" of a PATCH read the secret it keeps.
     */
    public Optional<AppConfigRow> update(long teamId, long id, UnaryOperator<AppConfigDraft> change) {
        return transactions.execute(status -> {
            Optional<AppConfigRow> current = jdbc.query("SELECT " + COLUMNS
                    + " FROM app_config WHERE team_id = ? AND id = ? FOR UPDATE", ROW, teamId, id).stream().findFirst();
            if (current.isEmpty()) {
                return Optional.empty();
            }
            AppConfigDraft next = change.apply(current.get().draft());
            // Enabling an app clears why plugin-service had disabled it.
            return Optional.of(jdbc.queryForObject("UPDATE app_config SET app = ?, config = ?::jsonb, position = ?,"
                            + " enabled = ?, disabled_reason = CASE WHEN ? THEN NULL ELSE disabled_reason END,"
                            + " updated_at = now() WHERE team_id = ? AND id = ? RETURNING " + COLUMNS,
                    ROW, next.app(), Json.write(next.config()), next.position(), next.enabled(), next.enabled(), teamId,
                    id));
        });
    }

    /** Removes the app (a hard delete: nothing refers to app rows); false when it is not this project's. */
    public boolean delete(long teamId, long id) {
        return jdbc.update("DELETE FROM app_config WHERE team_id = ? AND id = ?", teamId, id) == 1;
    }

    private static AppConfigRow row(ResultSet rs, int n) throws SQLException {
        return new AppConfigRow(
                rs.getLong("id"),
                rs.getLong("team_id"),
                rs.getString("app"),
                Json.read(rs.getString("config")),
                rs.getInt("position"),
                rs.getBoolean("enabled"),
                rs.getString("disabled_reason"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }
}
