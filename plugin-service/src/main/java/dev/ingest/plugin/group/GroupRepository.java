package dev.ingest.plugin.group;

import dev.ingest.common.json.JsonbSafe;
import dev.ingest.common.kafka.OutgoingRecord;
import dev.ingest.plugin.ingestion.kafka.ClickHouseRows;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.node.ObjectNode;

/** Group type mappings (at most five types per project, indexes 0..4) and groups, in PostgreSQL. */
@Repository
public class GroupRepository {
    public static final int MAX_GROUP_TYPES = 5;

    private final JdbcTemplate jdbc;
    private final Map<String, Integer> indexes = new ConcurrentHashMap<>();

    public GroupRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The index of a group type, given the next free one if it is new; empty when all five are taken. */
    public Optional<Integer> typeIndex(long teamId, String groupType) {
        String cacheKey = teamId + ":" + groupType;
        Integer cached = indexes.get(cacheKey);
        if (cached != null) {
            return Optional.of(cached);
        }
        for (int attempt = 0; attempt < 3; attempt++) {
            List<Integer> found = jdbc.queryForList("SELECT group_type_index FROM group_type_mapping WHERE team_id = ? AND group_type = ?",
                    Integer.class, teamId, groupType);
            if (!found.isEmpty()) {
                indexes.put(cacheKey, found.getFirst());
                return Optional.of(found.getFirst());
            }
            int inserted = jdbc.update("INSERT INTO group_type_mapping (team_id, group_type, group_type_index)"
                    + " SELECT ?, ?, i FROM generate_series(0, " + (MAX_GROUP_TYPES - 1) + ") AS i"
                    + " WHERE NOT EXISTS (SELECT 1 FROM group_type_mapping m WHERE m.team_id = ? AND m.group_type_index = i)"
                    + " ORDER BY i LIMIT 1 ON CONFLICT DO NOTHING", teamId, groupType, teamId);
            if (inserted == 0 && jdbc.queryForObject("SELECT count(*) FROM group_type_mapping WHERE team_id = ?", Integer.class,
                    teamId) >= MAX_GROUP_TYPES) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    public record Group(long teamId, int typeIndex, String key, String properties, Instant createdAt, long version) {}

    /** A group's identity as stored: NUL in keys becomes U+FFFD (jsonb and text cannot hold it). */
    public record GroupKey(long teamId, int typeIndex, String key) {
        public static GroupKey of(long teamId, int typeIndex, String key) {
            return new GroupKey(teamId, typeIndex, key.replace('\0', '\uFFFD'));
        }
    }

    /**
     * The group after merging {@code set} into its properties (created if new), version + 1. One statement, no outbox:
     * unlike a merge, an upsert is never "already done" on a replay; a batch that died before producing the row upserts
     * again (same properties, a higher version) and produces the row then, so ClickHouse still converges.
     */
    public Group upsert(long teamId, int typeIndex, String key, ObjectNode set, Instant timestamp) {
        return jdbc.queryForObject("INSERT INTO team_group AS g"
                + " (team_id, group_type_index, group_key, group_properties, created_at, version)"
                + " VALUES (?, ?, ?, ?::jsonb, ?, 1) ON CONFLICT (team_id, group_type_index, group_key) DO UPDATE"
                + " SET group_properties = g.group_properties || EXCLUDED.group_properties, version = g.version + 1"
                + " RETURNING group_properties::text AS properties, created_at, version",
                (rs, n) -> new Group(teamId, typeIndex, key, rs.getString("properties"),
                        rs.getTimestamp("created_at").toInstant(), rs.getLong("version")),
                teamId, typeIndex, GroupKey.of(teamId, typeIndex, key).key(), JsonbSafe.write(set), Timestamp.from(timestamp));
    }

    /**
     * {@link #upsert} of many distinct groups in one statement, in the map's order; returns them as stored. The keys
     * must be distinct: one statement cannot update a row twice.
     */
    public List<Group> upsertAll(Map<GroupKey, GroupBatch.Pending> upserts) {
        int n = upserts.size();
        Long[] teams = new Long[n];
        Integer[] indexes = new Integer[n];
        String[] keys = new String[n];
        String[] sets = new String[n];
        String[] created = new String[n];
        int i = 0;
        for (Map.Entry<GroupKey, GroupBatch.Pending> upsert : upserts.entrySet()) {
            teams[i] = upsert.getKey().teamId();
            indexes[i] = upsert.getKey().typeIndex();
            keys[i] = upsert.getKey().key();
            sets[i] = JsonbSafe.write(upsert.getValue().set());
            created[i] = upsert.getValue().createdAt().toString();
            i++;
        }
        return jdbc.query("INSERT INTO team_group AS g"
                + " (team_id, group_type_index, group_key, group_properties, created_at, version)"
                + " SELECT t, i, k, s::jsonb, c::timestamptz, 1"
                + " FROM unnest(?::bigint[], ?::int[], ?::text[], ?::text[], ?::text[]) WITH ORDINALITY AS v(t, i, k, s, c, o)"
                + " ORDER BY o"
                + " ON CONFLICT (team_id, group_type_index, group_key) DO UPDATE"
                + " SET group_properties = g.group_properties || EXCLUDED.group_properties, version = g.version + 1"
                + " RETURNING team_id, group_type_index, group_key, group_properties::text AS properties, created_at, version",
                (rs, row) -> new Group(rs.getLong("team_id"), rs.getInt("group_type_index"), rs.getString("group_key"),
                        rs.getString("properties"), rs.getTimestamp("created_at").toInstant(), rs.getLong("version")),
                teams, indexes, keys, sets, created);
    }

    /** The ClickHouse row of a group as upserted. */
    public static OutgoingRecord row(Group group) {
        return ClickHouseRows.group(group.teamId(), group.typeIndex(), group.key(), group.properties(), group.createdAt(),
                group.version());
    }
}
