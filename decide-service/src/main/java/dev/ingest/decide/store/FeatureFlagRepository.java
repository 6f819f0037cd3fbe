package dev.ingest.decide.store;

import static dev.ingest.decide.store.ProjectRepository.instant;

import dev.ingest.common.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Feature flags. Every query is filtered by {@code team_id}, so a project never reads or writes another's flags. Every
 * write bumps {@code version} and sets {@code updated_at = now()}: decide refreshes its cache from {@code updated_at}.
 * A live key is unique per project (index {@code feature_flag_team_key_live}); writes that break it throw
 * {@link DuplicateKeyException}.
 */
@Repository
public class FeatureFlagRepository {
    private static final String COLUMNS = "id, team_id, key, name, filters::text AS filters, active, deleted,"
            + " ensure_experience_continuity, evaluation_runtime, evaluation_contexts, version, created_at, updated_at";
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
                        + " ensure_experience_continuity, evaluation_runtime, evaluation_contexts)"
                        + " VALUES (?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?::text[]) RETURNING " + COLUMNS,
                ROW, teamId, draft.key(), draft.name(), Json.write(draft.filters()), draft.active(), draft.deleted(),
                draft.ensureExperienceContinuity(), draft.evaluationRuntime(), textArray(draft.evaluationContexts()));
    }

    /** A text[] literal of these strings, each quoted ({@code {"a","b \"c\""}}): bound as one parameter. */
    static String textArray(List<String> values) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append('"').append(values.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return out.append('}').toString();
    }

    /** Ids of this project's live flags among {@code ids}, with whether each is active. */
    public Map<Long, Boolean> liveFlags(long teamId, Set<Long> ids) {
        Map<Long, Boolean> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        jdbc.query("SELECT id, active FROM feature_flag WHERE team_id = ? AND NOT deleted AND id = ANY (?::bigint[])",
                rs -> {
                    found.put(rs.getLong(1), rs.getBoolean(2));
                }, teamId, "{" + ids.stream().map(String::valueOf).collect(Collectors.joining(",")) + "}");
        return found;
    }

    /** Every live flag of this project: id to filters (to check flag dependencies for cycles). */
    public Map<Long, JsonNode> liveFilters(long teamId) {
        Map<Long, JsonNode> filters = new HashMap<>();
        jdbc.query("SELECT id, filters::text FROM feature_flag WHERE team_id = ? AND NOT deleted",
                rs -> {
                    filters.put(rs.getLong(1), Json.read(rs.getString(2)));
                }, teamId);
        return filters;
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
                            + " active = ?, deleted = ?, ensure_experience_continuity = ?, evaluation_runtime = ?,"
                            + " evaluation_contexts = ?::text[], version = version + 1,"
                            + " updated_at = now() WHERE team_id = ? AND id = ? RETURNING " + COLUMNS,
                    ROW, next.key(), next.name(), Json.write(next.filters()), next.active(), next.deleted(),
                    next.ensureExperienceContinuity(), next.evaluationRuntime(), textArray(next.evaluationContexts()),
                    teamId, id));
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
                rs.getString("evaluation_runtime"),
                List.of((String[]) rs.getArray("evaluation_contexts").getArray()),
                rs.getInt("version"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }
}
