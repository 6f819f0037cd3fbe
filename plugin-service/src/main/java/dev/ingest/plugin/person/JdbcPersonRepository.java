package dev.ingest.plugin.person;

import dev.ingest.common.json.Json;
import dev.ingest.common.json.JsonbSafe;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.node.ObjectNode;

/** {@link PersonRepository} on PostgreSQL. Every statement is parameterised. */
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
    public Optional<Person> findForUpdate(long teamId, String distinctId) {
        return first(jdbc.query("SELECT " + PERSON_COLUMNS + " FROM person p JOIN person_distinct_id d ON d.person_id = p.id"
                + " WHERE d.team_id = ? AND d.distinct_id = ? FOR UPDATE OF p", PERSON, teamId, distinctId));
    }

    @Override
    public Map<String, Person> findAllForUpdate(long teamId, List<String> distinctIds) {
        return personsOf(teamId, distinctIds, " ORDER BY p.id, d.id FOR UPDATE");
    }

    @Override
    public Map<String, Person> findAll(long teamId, List<String> distinctIds) {
        return personsOf(teamId, distinctIds, "");
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
    public Map<UUID, Person> createAll(List<NewPerson> fresh, java.util.function.Function<ObjectNode, String> json) {
        if (fresh.isEmpty()) {
            return Map.of();
        }
        int n = fresh.size();
        // Arrays travel as text[] / bigint[], which every PostgreSQL JDBC driver version binds from Java arrays.
        String[] uuids = new String[n];
        Long[] teams = new Long[n];
        String[] created = new String[n];
        String[] properties = new String[n];
        String[] distinctIds = new String[n];
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
            distinctIds[i] = person.distinctId();
            identified[i] = Boolean.toString(person.identified());
        }
        // TRICKY: RETURNING leaves the properties out; they are the ones just sent (cleaned as jsonb stores them), and
        // reading back and parsing every person's JSON was a fifth of the batch write.
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
        // Distinct ids personless events used before get version 1, so ClickHouse re-points those events: one statement
        // for the whole batch.
        List<Long> teamIds = new ArrayList<>();
        List<Long> personIds = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Person person = inserted.get(UUID.fromString(uuids[i]));
            if (person != null) {
                teamIds.add(teams[i]);
                personIds.add(person.id());
                ids.add(distinctIds[i]);
            }
        }
        java.util.Set<String> wasPersonless = claimPersonless(teamIds.toArray(new Long[0]), ids.toArray(new String[0]), true);
        List<Long> versions = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            versions.add(wasPersonless.contains(teamIds.get(i) + ":" + ids.get(i)) ? 1L : 0L);
        }
        java.util.Set<Long> withDistinctId = new java.util.HashSet<>(jdbc.queryForList(
                "INSERT INTO person_distinct_id (team_id, person_id, distinct_id, version)"
                        + " SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::bigint[])"
                        + " ON CONFLICT (team_id, distinct_id) DO NOTHING RETURNING person_id",
                Long.class, teamIds.toArray(new Long[0]), personIds.toArray(new Long[0]), ids.toArray(new String[0]),
                versions.toArray(new Long[0])));
        List<Long> orphans = personIds.stream().filter(id -> !withDistinctId.contains(id)).toList();
        if (!orphans.isEmpty()) {
            jdbc.update("DELETE FROM person WHERE id = ANY (?)", (Object) orphans.toArray(new Long[0]));
            inserted.values().removeIf(person -> orphans.contains(person.id()));
        }
        return inserted;
    }

    @Override
    public Map<Long, Person> updateAllIfVersion(List<Person> changed, java.util.function.Function<ObjectNode, String> json) {
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
    public Map<String, Long> addDistinctIds(List<NewDistinctId> fresh) {
        if (fresh.isEmpty()) {
            return Map.of();
        }
        Long[] teams = new Long[fresh.size()];
        Long[] persons = new Long[fresh.size()];
        String[] ids = new String[fresh.size()];
        Long[] versions = new Long[fresh.size()];
        for (int i = 0; i < fresh.size(); i++) {
            NewDistinctId d = fresh.get(i);
            teams[i] = d.teamId();
            persons[i] = d.personId();
            ids[i] = d.distinctId();
        }
        java.util.Set<String> wasPersonless = claimPersonless(teams, ids, false);
        for (int i = 0; i < fresh.size(); i++) {
            versions[i] = wasPersonless.contains(teams[i] + ":" + ids[i]) ? 1L : 0L;
        }
        Map<String, Long> inserted = new HashMap<>();
        jdbc.query("INSERT INTO person_distinct_id (team_id, person_id, distinct_id, version)"
                + " SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::text[], ?::bigint[])"
                + " ON CONFLICT (team_id, distinct_id) DO NOTHING RETURNING distinct_id, version",
                rs -> {
                    inserted.put(rs.getString(1), rs.getLong(2));
                }, teams, persons, ids, versions);
        return inserted;
    }

    @Override
    public Optional<Person> find(long teamId, String distinctId) {
        return first(jdbc.query("SELECT " + PERSON_COLUMNS + " FROM person p JOIN person_distinct_id d ON d.person_id = p.id"
                + " WHERE d.team_id = ? AND d.distinct_id = ?", PERSON, teamId, distinctId));
    }

    @Override
    public Optional<Person> create(long teamId, UUID uuid, Instant createdAt, ObjectNode properties, boolean identified,
            String distinctId, long distinctIdVersion) {
        // A uuid taken already (the distinct id's v5 uuid belongs to a person it was merged away from) gets a random one.
        List<Person> created = jdbc.query("INSERT INTO person AS p (uuid, team_id, created_at, properties, is_identified, version)"
                + " VALUES (?, ?, ?, ?::jsonb, ?, 0) ON CONFLICT (team_id, uuid) DO NOTHING RETURNING " + PERSON_COLUMNS,
                PERSON, uuid, teamId, Timestamp.from(createdAt), JsonbSafe.write(properties), identified);
        if (created.isEmpty()) {
            created = jdbc.query("INSERT INTO person AS p (uuid, team_id, created_at, properties, is_identified, version)"
                    + " VALUES (?, ?, ?, ?::jsonb, ?, 0) RETURNING " + PERSON_COLUMNS,
                    PERSON, UUID.randomUUID(), teamId, Timestamp.from(createdAt), JsonbSafe.write(properties), identified);
        }
        Person person = created.getFirst();
        int inserted = jdbc.update("INSERT INTO person_distinct_id (team_id, person_id, distinct_id, version)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (team_id, distinct_id) DO NOTHING",
                teamId, person.id(), distinctId, distinctIdVersion);
        return inserted == 1 ? Optional.of(person) : Optional.empty();
    }

    @Override
    public boolean addDistinctId(long teamId, long personId, String distinctId, long version) {
        return jdbc.update("INSERT INTO person_distinct_id (team_id, person_id, distinct_id, version) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (team_id, distinct_id) DO NOTHING", teamId, personId, distinctId, version) == 1;
    }

    @Override
    public List<DistinctIdVersion> moveDistinctIds(long teamId, long fromPersonId, long toPersonId) {
        return jdbc.query("UPDATE person_distinct_id SET person_id = ?, version = version + 1"
                + " WHERE team_id = ? AND person_id = ? RETURNING distinct_id, version",
                (rs, n) -> new DistinctIdVersion(rs.getString("distinct_id"), rs.getLong("version")),
                toPersonId, teamId, fromPersonId);
    }

    @Override
    public Person updateMerged(Person target, ObjectNode properties, Instant createdAt, boolean identified, long version) {
        return jdbc.query("UPDATE person AS p SET properties = ?::jsonb, created_at = ?, is_identified = ?, version = ?"
                + " WHERE p.id = ? RETURNING " + PERSON_COLUMNS,
                PERSON, JsonbSafe.write(properties), Timestamp.from(createdAt), identified, version, target.id()).getFirst();
    }

    @Override
    public void moveAttachments(long teamId, long fromPersonId, long toPersonId) {
        jdbc.update("INSERT INTO feature_flag_hash_key_override (team_id, person_id, feature_flag_key, hash_key)"
                + " SELECT team_id, ?, feature_flag_key, hash_key FROM feature_flag_hash_key_override WHERE team_id = ? AND person_id = ?"
                + " ON CONFLICT DO NOTHING", toPersonId, teamId, fromPersonId);
        jdbc.update("INSERT INTO cohort_person (cohort_id, person_id) SELECT cohort_id, ? FROM cohort_person WHERE person_id = ?"
                + " ON CONFLICT DO NOTHING", toPersonId, fromPersonId);
        // The source person's rows go with it (ON DELETE CASCADE).
    }

    @Override
    public void delete(Person person) {
        jdbc.update("DELETE FROM person WHERE id = ?", person.id());
    }

    @Override
    public long claimDistinctIdVersion(long teamId, String distinctId) {
        return jdbc.update("UPDATE personless_distinct_id SET is_merged = TRUE WHERE team_id = ? AND distinct_id = ?",
                teamId, distinctId) == 1 ? 1 : 0;
    }

    /**
     * {@link #claimDistinctIdVersion} for many distinct ids in one statement: marks them merged and returns
     * "team:distinct id" of those personless events used ({@code unmergedOnly}: and no person claimed yet).
     */
    private java.util.Set<String> claimPersonless(Long[] teams, String[] distinctIds, boolean unmergedOnly) {
        return new java.util.HashSet<>(jdbc.queryForList(
                "UPDATE personless_distinct_id AS l SET is_merged = TRUE FROM unnest(?::bigint[], ?::text[]) AS v(t, d)"
                        + " WHERE l.team_id = v.t AND l.distinct_id = v.d" + (unmergedOnly ? " AND NOT l.is_merged" : "")
                        + " RETURNING l.team_id::text || ':' || l.distinct_id",
                String.class, teams, distinctIds));
    }

    @Override
    public Person update(Person person, ObjectNode properties, boolean identified) {
        return jdbc.query("UPDATE person AS p SET properties = ?::jsonb, is_identified = ?, version = COALESCE(p.version, 0) + 1"
                + " WHERE p.id = ? RETURNING " + PERSON_COLUMNS,
                PERSON, JsonbSafe.write(properties), identified, person.id()).getFirst();
    }

    @Override
    public boolean markPersonless(long teamId, String distinctId) {
        return jdbc.update("INSERT INTO personless_distinct_id (team_id, distinct_id) VALUES (?, ?)"
                + " ON CONFLICT (team_id, distinct_id) DO NOTHING", teamId, distinctId) == 0;
    }

    private static Person mapPerson(ResultSet rs, int row) throws SQLException {
        return new Person(rs.getLong("id"), rs.getObject("uuid", UUID.class), rs.getLong("team_id"),
                rs.getTimestamp("created_at").toInstant(), (ObjectNode) Json.read(rs.getString("properties")),
                rs.getBoolean("is_identified"), rs.getLong("version"));
    }

    private static Person mapLean(ResultSet rs, ObjectNode properties) throws SQLException {
        return new Person(rs.getLong("id"), rs.getObject("uuid", UUID.class), rs.getLong("team_id"),
                rs.getTimestamp("created_at").toInstant(), properties, rs.getBoolean("is_identified"), rs.getLong("version"));
    }

    private static <T> Optional<T> first(List<T> rows) {
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }
}
