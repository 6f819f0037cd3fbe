package dev.ingest.plugin.ingestion.team;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;

/**
 * Projects by id or token, cached for a short while (settings such as IP anonymisation apply within that time).
 * Unknown tokens are cached too, briefly, so a flood of events with a bad token costs one query per interval.
 * Database errors propagate: the pipeline classifies them as retryable.
 */
@Repository
public class TeamRepository {
    private static final Duration TTL = Duration.ofSeconds(10);
    private static final RowMapper<Team> MAPPER = (rs, n) -> new Team(rs.getLong("id"), rs.getObject("uuid", UUID.class),
            rs.getString("name"), rs.getString("api_token"), rs.getBoolean("anonymize_ips"),
            rs.getBoolean("person_processing_opt_out"), rs.getObject("drop_events_older_than_seconds", Integer.class),
            rs.getObject("heatmaps_opt_in", Boolean.class), rs.getInt("cookieless_server_hash_mode"));
    private static final String COLUMNS = "id, uuid, name, api_token, anonymize_ips, person_processing_opt_out,"
            + " drop_events_older_than_seconds, heatmaps_opt_in, cookieless_server_hash_mode";

    private final JdbcTemplate jdbc;
    private final Map<String, Cached> byToken = new ConcurrentHashMap<>();
    private final Map<Long, Cached> byId = new ConcurrentHashMap<>();

    public TeamRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Team> findByToken(String token) {
        Cached cached = byToken.get(token);
        if (cached != null && cached.fresh()) {
            return cached.team();
        }
        List<Team> teams = jdbc.query("SELECT " + COLUMNS + " FROM team WHERE api_token = ?", MAPPER, token);
        Optional<Team> team = teams.stream().findFirst();
        byToken.put(token, new Cached(team, System.nanoTime() + TTL.toNanos()));
        return team;
    }

    public Optional<Team> findById(long id) {
        Cached cached = byId.get(id);
        if (cached != null && cached.fresh()) {
            return cached.team();
        }
        List<Team> teams = jdbc.query("SELECT " + COLUMNS + " FROM team WHERE id = ?", MAPPER, id);
        Optional<Team> team = teams.stream().findFirst();
        byId.put(id, new Cached(team, System.nanoTime() + TTL.toNanos()));
        return team;
    }

    private record Cached(Optional<Team> team, long expiresAt) {
        boolean fresh() {
            return System.nanoTime() < expiresAt;
        }
    }
}
