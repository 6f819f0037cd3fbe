package dev.ingest.decide.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/**
 * The event and property definitions plugin-service writes (tables {@code event_definition},
 * {@code property_definition}, {@code event_property}, migration V13), read for the management API. Every query is
 * filtered by {@code team_id}; searches are parameterised ({@code ILIKE} with the pattern characters escaped).
 */
@Repository
public class DefinitionRepository {
    private static final RowMapper<EventDefinitionRow> EVENT = DefinitionRepository::event;
    private static final RowMapper<PropertyDefinitionRow> PROPERTY = DefinitionRepository::property;
    private static final String PROPERTY_COLUMNS = "id, name, type, group_type_index, property_type, is_numerical, created_at";

    /** What a property list may be narrowed to; null fields do not narrow it. */
    public record PropertyFilter(int type, Integer groupTypeIndex, String search, Boolean numerical, List<String> eventNames) {}

    private final JdbcTemplate jdbc;

    public DefinitionRepository(JdbcTemplate jdbc) {
        this.jdbc = Objects.requireNonNull(jdbc, "jdbc is null");
    }

    public List<EventDefinitionRow> events(long teamId, String search, int limit, long offset) {
        List<Object> args = new ArrayList<>(List.of(teamId));
        String where = eventWhere(search, args);
        args.add(limit);
        args.add(offset);
        return jdbc.query("SELECT id, name, created_at, last_seen_at FROM event_definition" + where
                + " ORDER BY name LIMIT ? OFFSET ?", EVENT, args.toArray());
    }

    public long countEvents(long teamId, String search) {
        List<Object> args = new ArrayList<>(List.of(teamId));
        return jdbc.queryForObject("SELECT count(*) FROM event_definition" + eventWhere(search, args), Long.class,
                args.toArray());
    }

    public Optional<EventDefinitionRow> event(long teamId, UUID id) {
        return jdbc.query("SELECT id, name, created_at, last_seen_at FROM event_definition WHERE team_id = ? AND id = ?",
                EVENT, teamId, id).stream().findFirst();
    }

    public List<PropertyDefinitionRow> properties(long teamId, PropertyFilter filter, int limit, long offset) {
        List<Object> args = new ArrayList<>(List.of(teamId));
        String where = propertyWhere(filter, args);
        args.add(limit);
        args.add(offset);
        return jdbc.query("SELECT " + PROPERTY_COLUMNS + " FROM property_definition d" + where
                + " ORDER BY name LIMIT ? OFFSET ?", PROPERTY, args.toArray());
    }

    public long countProperties(long teamId, PropertyFilter filter) {
        List<Object> args = new ArrayList<>(List.of(teamId));
        return jdbc.queryForObject("SELECT count(*) FROM property_definition d" + propertyWhere(filter, args), Long.class,
                args.toArray());
    }

    public Optional<PropertyDefinitionRow> property(long teamId, UUID id) {
        return jdbc.query("SELECT " + PROPERTY_COLUMNS + " FROM property_definition WHERE team_id = ? AND id = ?", PROPERTY,
                teamId, id).stream().findFirst();
    }

    private static String eventWhere(String search, List<Object> args) {
        StringBuilder where = new StringBuilder(" WHERE team_id = ?");
        if (search != null && !search.isBlank()) {
            where.append(" AND name ILIKE ? ESCAPE '\\'");
            args.add(contains(search));
        }
        return where.toString();
    }

    private static String propertyWhere(PropertyFilter filter, List<Object> args) {
        StringBuilder where = new StringBuilder(" WHERE d.team_id = ? AND d.type = ?");
        args.add(filter.type());
        if (filter.groupTypeIndex() != null) {
            where.append(" AND d.group_type_index = ?");
            args.add(filter.groupTypeIndex());
        }
        if (filter.search() != null && !filter.search().isBlank()) {
            where.append(" AND d.name ILIKE ? ESCAPE '\\'");
            args.add(contains(filter.search()));
        }
        if (filter.numerical() != null) {
            where.append(" AND d.is_numerical = ?");
            args.add(filter.numerical());
        }
        if (filter.eventNames() != null && !filter.eventNames().isEmpty()) {
            where.append(" AND EXISTS (SELECT 1 FROM event_property p WHERE p.team_id = d.team_id AND p.property = d.name"
                    + " AND p.event = ANY (?))");
            args.add(filter.eventNames().toArray(String[]::new));
        }
        return where.toString();
    }

    /** An ILIKE pattern matching names that contain {@code text} literally. */
    private static String contains(String text) {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private static EventDefinitionRow event(ResultSet rs, int row) throws SQLException {
        return new EventDefinitionRow(rs.getObject("id", UUID.class), rs.getString("name"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("last_seen_at").toInstant());
    }

    private static PropertyDefinitionRow property(ResultSet rs, int row) throws SQLException {
        int groupTypeIndex = rs.getInt("group_type_index");
        Integer group = rs.wasNull() ? null : groupTypeIndex;
        return new PropertyDefinitionRow(rs.getObject("id", UUID.class), rs.getString("name"), rs.getInt("type"), group,
                rs.getString("property_type"), rs.getBoolean("is_numerical"), rs.getTimestamp("created_at").toInstant());
    }
}
