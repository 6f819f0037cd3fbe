package dev.ingest.decide.evaluation;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Project tokens from PostgreSQL through a short cache: known tokens for a minute, unknown ones for two seconds (a
 * project created a moment ago answers almost at once). Database errors propagate to the caller.
 */
@Component
public class ProjectTokens {
    private static final Duration KNOWN_TTL = Duration.ofSeconds(10);
    private static final Duration UNKNOWN_TTL = Duration.ofSeconds(2);

    private final JdbcTemplate jdbc;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public ProjectTokens(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Project> byToken(String token) {
        Cached cached = cache.get(token);
        long now = System.nanoTime();
        if (cached != null && now < cached.expiresAt()) {
            return cached.project();
        }
        List<Project> found = jdbc.query("SELECT id, api_token, name, heatmaps_opt_in, cookieless_server_hash_mode"
                        + " FROM team WHERE api_token = ?",
                (rs, n) -> new Project(rs.getLong("id"), rs.getString("api_token"), rs.getString("name"),
                        rs.getBoolean("heatmaps_opt_in"), rs.getInt("cookieless_server_hash_mode")), token);
        Optional<Project> project = found.stream().findFirst();
        if (cache.size() > 100_000) {
            cache.clear();
        }
        cache.put(token, new Cached(project, now + (project.isPresent() ? KNOWN_TTL : UNKNOWN_TTL).toNanos()));
        return project;
    }

    /** Forgets what is cached of {@code token}, so a changed project is read again on its next request. */
    public void forget(String token) {
        cache.remove(token);
    }

    private record Cached(Optional<Project> project, long expiresAt) {}
}
