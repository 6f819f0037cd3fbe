package dev.ingest.plugin.person;

import dev.ingest.common.json.Json;
import dev.ingest.common.json.JsonbSafe;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@link PersonRepository} on PostgreSQL. Every statement is parameterised; arrays travel as text[] / bigint[], which
 * every PostgreSQL JDBC driver version binds from Java arrays.
 */
@Repository
public class JdbcPersonRepository implements PersonRepository {
    private static final String PERSON_COLUMNS =
            "p.id, p.uuid, p.team_id, p.created_at, p.properties::text AS properties, p.is_identified, p.version";
    /** Every column but the properties, for writes that know the properties they just wrote. */
    private static final String LEAN_COLUMNS = "p.id, p.uuid, p.team_id, p.created_at, p.is_identified, p.version";
    private static final RowMapper<Person> PERSON = JdbcPersonRepository::mapPerson;

    private final JdbcTemplate jdbc;

    public JdbcPersonRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<Person> find(long teamId, String distinctId) {
        return first(jdbc.query("SELECT " + PERSON_COLUMNS + " FROM person p JOIN person_distinct_id d ON d.person_id = p.id"
                + " WHERE d.team_id = ? AND d.distinct_id = ?", PERSON, teamId, distinctId));
    }

    @Override
    public Map<String, Person> findAll(long teamId, List<String> distinctIds) {
        return personsOf(teamId, distinctIds, "");
    }

    @Override
    public Map<String, Person> findAllForUpdate(long teamId, List<String> distinctIds) {
        return personsOf(teamId, distinctIds, " ORDER BY p.id, d.id FOR UPDATE");
    }

    /** The persons of these distinct ids by distinct id; {@code suffix} adds ordering and locking. */
    private Map<String, Person> personsOf(long teamId, List<String> distinctIds, String suffix) {
        Map<String, Person> persons = new HashMap<>();
        jdbc.query("SELECT d.distinct_id, " + PERSON_COLUMNS + " FROM person p JOIN person_distinct_id d ON d.person_id = p.id"
                + " WHERE d.team_id = ? AND d.distinct_id = ANY (?)" + suffix,
                rs -> {
                    persons.put(rs.getString("distinct_id"), mapPerson(rs, 0));
                },
                teamId, distinctIds.toArray(new String[0]));
        return persons;
    }

    @Override
    public Optional<Person> insert(NewPerson person) {
        return first(jdbc.query("INSERT INTO person AS p (uuid, team_id, created_at, properties, is_identified, version)"
                + " VALUES (?, ?, ?, ?::jsonb, ?, 0) ON CONFLICT (team_id, uuid) DO NOTHING RETURNING " + PERSON_COLUMNS,
                PERSON, person.uuid(), person.teamId(), Timestamp.from(person.createdAt()), JsonbSafe.write(person.properties()),
                person.identified()));
    }

    @Override
    public Map<UUID, Person> insertAll(List<NewPerson> fresh, Function<ObjectNode, String> json) {
        if (fresh.isEmpty()) {
            return Map.of();
        }
        int n = fresh.size();
        String[] uuids = new String[n];
        Long[] teams = new Long[n];
        String[] created = new String[n];
        String[] properties = new String[n];
        String[] identified = new String[n];
        Map<UUID, ObjectNode> sent = new HashMap<>();
        for (int i = 0; i < n; i++) {
            NewPerson person = fresh.get(i);
            uuids[i] = person.uuid().toString();
            teams[i] = person.teamId();
            created[i] = person.createdAt().toString();
            ObjectNode clean = JsonbSafe.clean(person.properties());
            sent.put(person.uuid(), clean);
            properties[i] = json.apply(clean);
            identified[i] = Boolean.toString(person.identified());
        }
        // TRICKY: RETURNING leaves the properties out; they are the ones just sent (cleaned as jsonb stores them), and
        // reading back and parsing every person's JSON would cost more than writing it.
        Map<UUID, Person> inserted = new HashMap<>();
        jdbc.query("INSERT INTO person AS p (uuid, team_id, created_at, properties, is_identified, version)"
                + " SELECT u::uuid, t, c::timestamptz, pr::jsonb, i::boolean, 0"
                + " FROM unnest(?::text[], ?::bigint[], ?::text[], ?::text[], ?::text[]) AS v(u, t, c, pr, i)"
                + " ON CONFLICT (team_id, uuid) DO NOTHING RETURNING " + LEAN_COLUMNS,
                rs -> {
                    UUID uuid = rs.getObject("uuid", UUID.class);
                    inserted.put(uuid, mapLean(rs, sent.get(uuid)));
                },
                uuids, teams, created, properties, identified);
        return inserted;
    }

    @Override
    public boolean addDistinctId(long teamId, long personId, String distinctId, long version) {
        return jdbc.update("INSERT INTO person_distinct_id (team_id, person_id, distinct_id, version) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (team_id, distinct_id) DO NOTHING", teamId, personId, distinctId, version) == 1;
    }

    @Override
    public Map<DistinctIdKey, Long> addDistinctIds(List<NewDistinctId> fresh) {
        if (fresh.isEmpty()) {
            return Map.of();
        }
        int n = fresh.size();
        Long[] teams = new Long[n];
        Long[] persons = new Long[n];
        String[] ids = new String[n];
        Long[] versions = new Long[n];
        List<DistinctIdKey> keys = fresh.stream().map(d -> new DistinctIdKey(d.teamId(), d.distinctId())).toList();
        Set<DistinctIdKey> wasPersonless = markPersonlessMerged(keys);
        for (int i = 0; i < n; i++) {
            NewDistinctId d = fresh.get(i);
            teams[i] = d.teamId();
            persons[i] = d.personId();
            ids[i] = d.distinctId();
            versions[i] = wasPersonless.contains(keys.get(i)) ? 1L : 0L;
        }
        Map<DistinctIdKey, Long> inserted = new HashMap<>();
        jdbc.query("INSERT INTO person_distinct_id (team_id, person_id, distinct_id, version)"
                + " SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::bigint[])"
                + " ON CONFLICT (team_id, distinct_id) DO NOTHING RETURNING team_id, distinct_id, version",
                rs -> {
                    inserted.put(new DistinctIdKey(rs.getLong(1), rs.getString(2)), rs.getLong(3));
                }, teams, persons, ids, versions);
        return inserted;
    }

    @Override
    public List<DistinctIdVersion> moveDistinctIds(long teamId, long fromPersonId, long toPersonId) {
        return jdbc.query("UPDATE person_distinct_id SET person_id = ?, version = version + 1"
                + " WHERE team_id = ? AND person_id = ? RETURNING distinct_id, version",
                (rs, n) -> new DistinctIdVersion(rs.getString("distinct_id"), rs.getLong("version")),
                toPersonId, teamId, fromPersonId);
    }

    @Override
    public Person update(Person person, ObjectNode properties, boolean identified) {
        return jdbc.query("UPDATE person AS p SET properties = ?::jsonb, is_identified = ?, version = COALESCE(p.version, 0) + 1"
                + " WHERE p.id = ? RETURNING " + PERSON_COLUMNS,
                PERSON, JsonbSafe.write(properties), identified, person.id()).getFirst();
    }

    @Override
    public Map<Long, Person> updateAllIfVersion(List<Person> changed, Function<ObjectNode, String> json) {
        if (changed.isEmpty()) {
            return Map.of();
        }
        Long[] ids = changed.stream().map(Person::id).toArray(Long[]::new);
        Long[] versions = changed.stream().map(Person::version).toArray(Long[]::new);
        Map<Long, ObjectNode> sent = new HashMap<>();
        changed.forEach(person -> sent.put(person.id(), JsonbSafe.clean(person.properties())));
        String[] properties = changed.stream().map(p -> json.apply(sent.get(p.id()))).toArray(String[]::new);
        String[] identified = changed.stream().map(p -> Boolean.toString(p.isIdentified())).toArray(String[]::new);
        Map<Long, Person> updated = new HashMap<>();
        jdbc.query("UPDATE person AS p SET properties = v.pr::jsonb, is_identified = p.is_identified OR v.i::boolean,"
                + " version = p.version + 1 FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::text[]) AS v(id, ver, pr, i)"
                + " WHERE p.id = v.id AND p.version = v.ver RETURNING " + LEAN_COLUMNS,
                rs -> {
                    long id = rs.getLong("id");
                    updated.put(id, mapLean(rs, sent.get(id)));
                },
                ids, versions, properties, identified);
        return updated;
    }

    @Override
    public Person updateMerged(Person target, ObjectNode properties, Instant createdAt, boolean identified, long version) {
        return jdbc.query("UPDATE person AS p SET properties = ?::jsonb, created_at = ?, is_identified = ?, version = ?"
                + " WHERE p.id = ? RETURNING " + PERSON_COLUMNS,
                PERSON, JsonbSafe.write(properties), Timestamp.from(createdAt), identified, version, target.id()).getFirst();
    }

    @Override
    public void copyAttachments(long teamId, long fromPersonId, long toPersonId) {
        jdbc.update("INSERT INTO feature_flag_hash_key_override (team_id, person_id, feature_flag_key, hash_key)"
                + " SELECT team_id, ?, feature_flag_key, hash_key FROM feature_flag_hash_key_override WHERE team_id = ? AND person_id = ?"
                + " ON CONFLICT DO NOTHING", toPersonId, teamId, fromPersonId);
        jdbc.update("INSERT INTO cohort_person (cohort_id, person_id) SELECT cohort_id, ? FROM cohort_person WHERE person_id = ?"
                + " ON CONFLICT DO NOTHING", toPersonId, fromPersonId);
    }

    @Override
    public void deleteAll(List<Long> personIds) {
        if (!personIds.isEmpty()) {
            jdbc.update("DELETE FROM person WHERE id = ANY (?)", (Object) personIds.toArray(new Long[0]));
        }
    }

    @Override
    public boolean markPersonless(long teamId, String distinctId) {
        return jdbc.update("INSERT INTO personless_distinct_id (team_id, distinct_id) VALUES (?, ?)"
                + " ON CONFLICT (team_id, distinct_id) DO NOTHING", teamId, distinctId) == 0;
    }

    @Override
    public Set<DistinctIdKey> markPersonlessMerged(List<DistinctIdKey> distinctIds) {
        if (distinctIds.isEmpty()) {
            return Set.of();
        }
        Long[] teams = distinctIds.stream().map(DistinctIdKey::teamId).toArray(Long[]::new);
        String[] ids = distinctIds.stream().map(DistinctIdKey::distinctId).toArray(String[]::new);
        Set<DistinctIdKey> existed = new HashSet<>();
        jdbc.query("UPDATE personless_distinct_id AS l SET is_merged = TRUE FROM unnest(?::bigint[], ?::text[]) AS v(t, d)"
                + " WHERE l.team_id = v.t AND l.distinct_id = v.d RETURNING l.team_id, l.distinct_id",
                rs -> {
                    existed.add(new DistinctIdKey(rs.getLong(1), rs.getString(2)));
                }, teams, ids);
        return existed;
    }

    private static Person mapPerson(ResultSet rs, int row) throws SQLException {
        return mapLean(rs, (ObjectNode) Json.read(rs.getString("properties")));
    }

    private static Person mapLean(ResultSet rs, ObjectNode properties) throws SQLException {
        return new Person(rs.getLong("id"), rs.getObject("uuid", UUID.class), rs.getLong("team_id"),
                rs.getTimestamp("created_at").toInstant(), properties, rs.getBoolean("is_identified"), rs.getLong("version"));
    }

    private static <T> Optional<T> first(List<T> rows) {
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }
}
