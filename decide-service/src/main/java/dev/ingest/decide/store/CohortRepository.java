package dev.ingest.decide.store;

import static dev.ingest.decide.store.ProjectRepository.instant;

import dev.ingest.common.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Cohorts and the members of static cohorts. Every query is filtered by {@code team_id}; every write bumps
 * {@code version} and sets {@code updated_at = now()}.
 */
@Repository
public class CohortRepository {
    private static final String COLUMNS = "c.id, c.team_id, c.name, c.description, c.filters::text AS filters,"
            + " c.is_static, c.deleted, c.version, c.created_at, c.updated_at,"
            + " CASE WHEN c.is_static THEN (SELECT count(*) FROM cohort_person cp WHERE cp.cohort_id = c.id) END"
            + " AS member_count";
    private static final RowMapper<CohortRow> ROW = CohortRepository::row;

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;

    public CohortRepository(JdbcTemplate jdbc, PlatformTransactionManager transactionManager) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc is null");
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** Live (not deleted) cohorts, newest first. */
    public List<CohortRow> listLive(long teamId, int limit, long offset) {
        return jdbc.query("SELECT " + COLUMNS + " FROM cohort c WHERE c.team_id = ? AND NOT c.deleted"
                + " ORDER BY c.id DESC LIMIT ? OFFSET ?", ROW, teamId, limit, offset);
    }

    public long countLive(long teamId) {
        return jdbc.queryForObject("SELECT count(*) FROM cohort WHERE team_id = ? AND NOT deleted", Long.class, teamId);
    }

    /** A cohort of this project, deleted or not. */
    public Optional<CohortRow> find(long teamId, long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM cohort c WHERE c.team_id = ? AND c.id = ?", ROW, teamId, id)
                .stream().findFirst();
    }

    /** The filters of this project's live cohorts among {@code ids}, by id (a missing id is not a live cohort). */
    public Map<Long, String> liveFilters(long teamId, Collection<Long> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return jdbc.query(connection -> {
            var statement = connection.prepareStatement(
                    "SELECT id, filters::text FROM cohort WHERE team_id = ? AND NOT deleted AND id = ANY(?)");
            statement.setLong(1, teamId);
            statement.setArray(2, ProjectRepository.bigintArray(connection, ids));
            return statement;
        }, (rs, n) -> Map.entry(rs.getLong(1), rs.getString(2))).stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    public CohortRow insert(long teamId, CohortDraft draft) {
        long id = jdbc.queryForObject("INSERT INTO cohort (team_id, name, description, filters, is_static, deleted)"
                        + " VALUES (?, ?, ?, ?::jsonb, ?, ?) RETURNING id",
                Long.class, teamId, draft.name(), draft.description(), Json.write(draft.filters()), draft.isStatic(),
                draft.deleted());
        return find(teamId, id).orElseThrow();
    }

    /**
     * Applies {@code change} to the current cohort under a row lock and stores the result; empty when the cohort is
     * not this project's. An exception from {@code change} rolls back and propagates.
     */
    public Optional<CohortRow> update(long teamId, long id, UnaryOperator<CohortDraft> change) {
        return transactions.execute(status -> {
            Optional<CohortRow> current = jdbc.query("SELECT " + COLUMNS
                    + " FROM cohort c WHERE c.team_id = ? AND c.id = ? FOR UPDATE", ROW, teamId, id).stream().findFirst();
            if (current.isEmpty()) {
                return Optional.empty();
            }
            CohortDraft next = change.apply(current.get().draft());
            jdbc.update("UPDATE cohort SET name = ?, description = ?, filters = ?::jsonb, is_static = ?, deleted = ?,"
                            + " version = version + 1, updated_at = now() WHERE team_id = ? AND id = ?",
                    next.name(), next.description(), Json.write(next.filters()), next.isStatic(), next.deleted(),
                    teamId, id);
            return find(teamId, id);
        });
    }

    public boolean softDelete(long teamId, long id) {
        return jdbc.update("UPDATE cohort SET deleted = TRUE, version = version + 1, updated_at = now()"
                + " WHERE team_id = ? AND id = ?", teamId, id) == 1;
    }

    /**
     * Adds the persons of {@code distinctIds} (this project's only) to a static cohort of this project. The caller
     * has checked that the cohort exists and is static.
     */
    public StaticCohortAddition addPersons(long teamId, long cohortId, Collection<String> distinctIds) {
        return transactions.execute(status -> {
            // Lock the cohort row: concurrent additions serialise, and the count below is exact.
            jdbc.query("SELECT id FROM cohort WHERE team_id = ? AND id = ? FOR UPDATE", (rs, n) -> rs.getLong(1),
                    teamId, cohortId);
            String[] ids = distinctIds.toArray(String[]::new);
            List<Map.Entry<String, Long>> found = jdbc.query(connection -> {
                var statement = connection.prepareStatement("SELECT distinct_id, person_id FROM person_distinct_id"
                        + " WHERE team_id = ? AND distinct_id = ANY(?)");
                statement.setLong(1, teamId);
                statement.setArray(2, connection.createArrayOf("text", ids));
                return statement;
            }, (rs, n) -> Map.entry(rs.getString(1), rs.getLong(2)));
            Set<Long> personIds = found.stream().map(Map.Entry::getValue).collect(Collectors.toSet());
            int added = personIds.isEmpty() ? 0 : jdbc.update(connection -> {
                var statement = connection.prepareStatement("INSERT INTO cohort_person (cohort_id, person_id)"
                        + " SELECT ?, unnest(?::bigint[]) ON CONFLICT DO NOTHING");
                statement.setLong(1, cohortId);
                statement.setArray(2, ProjectRepository.bigintArray(connection, personIds));
                return statement;
            });
            if (added > 0) {
                jdbc.update("UPDATE cohort SET version = version + 1, updated_at = now() WHERE team_id = ? AND id = ?",
                        teamId, cohortId);
            }
            long count = jdbc.queryForObject(
                    "SELECT count(*) FROM cohort_person WHERE cohort_id = ?", Long.class, cohortId);
            Set<String> known = found.stream().map(Map.Entry::getKey).collect(Collectors.toSet());
            List<String> unknown = new LinkedHashSet<>(distinctIds).stream().filter(id -> !known.contains(id)).toList();
            return new StaticCohortAddition(added, count, unknown);
        });
    }

    private static CohortRow row(ResultSet rs, int n) throws SQLException {
        Number memberCount = (Number) rs.getObject("member_count");
        return new CohortRow(
                rs.getLong("id"),
                rs.getLong("team_id"),
                rs.getString("name"),
                rs.getString("description"),
                Json.read(rs.getString("filters")),
                rs.getBoolean("is_static"),
                rs.getBoolean("deleted"),
                rs.getInt("version"),
                instant(rs, "created_at"),
                instant(rs, "updated_at"),
                memberCount == null ? null : memberCount.longValue());
    }
}
