package dev.ingest.decide.evaluation;

import dev.ingest.common.json.Json;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * What the plugin service stored about persons and groups, read for flag evaluation. Every query is parameterised
 * and filtered by project.
 */
@Component
public class PersonData {
    private final JdbcTemplate jdbc;

    public PersonData(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A person: its properties and its {@code created_at} (for {@code person_metadata} filters). */
    public record PersonRow(long id, Map<String, JsonNode> properties, Instant createdAt) {}

    public Optional<PersonRow> person(long teamId, String distinctId) {
        List<PersonRow> rows = jdbc.query("SELECT p.id, p.properties::text, p.created_at FROM person p"
                + " JOIN person_distinct_id d ON d.person_id = p.id WHERE d.team_id = ? AND d.distinct_id = ?",
                (rs, n) -> new PersonRow(rs.getLong(1), toMap(Json.read(rs.getString(2))),
                        rs.getObject(3, OffsetDateTime.class).toInstant()),
                teamId, distinctId);
        return rows.stream().findFirst();
    }

    public Map<String, JsonNode> groupProperties(long teamId, int typeIndex, String key) {
        List<String> rows = jdbc.queryForList("SELECT group_properties::text FROM team_group WHERE team_id = ? AND group_type_index = ?"
                + " AND group_key = ?", String.class, teamId, typeIndex, key);
        return rows.isEmpty() ? Map.of() : toMap(Json.read(rows.getFirst()));
    }

    /** The static cohorts (ids as strings) this person belongs to. */
    public Set<String> staticCohorts(long personId) {
        return jdbc.queryForList("SELECT cohort_id FROM cohort_person WHERE person_id = ?", Long.class, personId).stream()
                .map(String::valueOf).collect(Collectors.toSet());
    }

    /**
     * Experience continuity, write side: for each continuity flag without an override yet for the
     * persons of these distinct ids, store {@code hashKey} (first one wins).
     */
    public void writeHashKeyOverrides(long teamId, List<String> distinctIds, List<String> flagKeys, String hashKey) {
        if (flagKeys.isEmpty()) {
            return;
        }
        jdbc.update("INSERT INTO feature_flag_hash_key_override (team_id, person_id, feature_flag_key, hash_key)"
                + " SELECT ?, d.person_id, f.key, ? FROM person_distinct_id d CROSS JOIN unnest(?::text[]) AS f(key)"
                + " WHERE d.team_id = ? AND d.distinct_id = ANY (?::text[])"
                + " AND NOT EXISTS (SELECT 1 FROM feature_flag_hash_key_override o WHERE o.team_id = ? AND o.feature_flag_key = f.key"
                + " AND o.person_id IN (SELECT person_id FROM person_distinct_id WHERE team_id = ? AND distinct_id = ANY (?::text[])))"
                + " ON CONFLICT DO NOTHING",
                teamId, hashKey, flagKeys.toArray(new String[0]), teamId, distinctIds.toArray(new String[0]), teamId, teamId,
                distinctIds.toArray(new String[0]));
    }

    /** Read side: flag key -> hash key, the first distinct id's person taking priority. */
    public Map<String, String> hashKeyOverrides(long teamId, List<String> distinctIds) {
        Map<String, String> overrides = new HashMap<>();
        for (int i = distinctIds.size() - 1; i >= 0; i--) {
            jdbc.query("SELECT o.feature_flag_key, o.hash_key FROM feature_flag_hash_key_override o JOIN person_distinct_id d"
                    + " ON d.person_id = o.person_id AND d.team_id = o.team_id WHERE o.team_id = ? AND d.distinct_id = ?",
                    rs -> {
                        overrides.put(rs.getString(1), rs.getString(2));
                    }, teamId, distinctIds.get(i));
        }
        return overrides;
    }

    static Map<String, JsonNode> toMap(JsonNode object) {
        Map<String, JsonNode> map = new LinkedHashMap<>();
        if (object != null && object.isObject()) {
            object.properties().forEach(e -> map.put(e.getKey(), e.getValue()));
        }
        return map;
    }
}
