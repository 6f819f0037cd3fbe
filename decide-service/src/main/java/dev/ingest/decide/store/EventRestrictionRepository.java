package dev.ingest.decide.store;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/** Event restrictions ({@code event_restriction}), always by (project, id). Every statement is parameterised. */
@Repository
public class EventRestrictionRepository {
    private static final String COLUMNS = "id, team_id, restriction_type, distinct_ids, session_ids, event_names,"
            + " event_uuids, note, created_at";
    private static final RowMapper<EventRestrictionRow> ROW = EventRestrictionRepository::row;

    private final JdbcTemplate jdbc;

    public EventRestrictionRepository(JdbcTemplate jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc is null");
    }

    public EventRestrictionRow insert(long teamId, EventRestrictionRow draft) {
        return jdbc.query(connection -> {
            var statement = connection.prepareStatement("INSERT INTO event_restriction (team_id, restriction_type,"
                    + " distinct_ids, session_ids, event_names, event_uuids, note) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING "
                    + COLUMNS);
            statement.setLong(1, teamId);
            statement.setString(2, draft.restrictionType());
            statement.setArray(3, connection.createArrayOf("text", draft.distinctIds().toArray()));
            statement.setArray(4, connection.createArrayOf("text", draft.sessionIds().toArray()));
            statement.setArray(5, connection.createArrayOf("text", draft.eventNames().toArray()));
            statement.setArray(6, connection.createArrayOf("text", draft.eventUuids().toArray()));
            statement.setString(7, draft.note());
            return statement;
        }, ROW).getFirst();
    }

    public List<EventRestrictionRow> list(long teamId, int limit, long offset) {
        return jdbc.query("SELECT " + COLUMNS + " FROM event_restriction WHERE team_id = ? ORDER BY id LIMIT ? OFFSET ?",
                ROW, teamId, limit, offset);
    }

    public long count(long teamId) {
        return jdbc.queryForObject("SELECT count(*) FROM event_restriction WHERE team_id = ?", Long.class, teamId);
    }

    public Optional<EventRestrictionRow> find(long teamId, long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM event_restriction WHERE team_id = ? AND id = ?", ROW, teamId, id)
                .stream().findFirst();
    }

    public boolean delete(long teamId, long id) {
        return jdbc.update("DELETE FROM event_restriction WHERE team_id = ? AND id = ?", teamId, id) > 0;
    }

    private static EventRestrictionRow row(ResultSet rs, int n) throws SQLException {
        return new EventRestrictionRow(rs.getLong("id"), rs.getLong("team_id"), rs.getString("restriction_type"),
                strings(rs.getArray("distinct_ids")), strings(rs.getArray("session_ids")),
                strings(rs.getArray("event_names")), strings(rs.getArray("event_uuids")), rs.getString("note"),
                ProjectRepository.instant(rs, "created_at"));
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.stream((Object[]) array.getArray()).map(String::valueOf).toList();
    }
}
