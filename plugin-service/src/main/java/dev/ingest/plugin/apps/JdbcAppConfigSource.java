package dev.ingest.plugin.apps;

import dev.ingest.common.json.Json;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** Reads {@code app_config} (migration V4): the enabled rows of a project, by position then id. */
public final class JdbcAppConfigSource implements AppConfigSource {
    private final JdbcTemplate jdbc;

    public JdbcAppConfigSource(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<AppConfig> enabledApps(long teamId) {
        return jdbc.query("SELECT id, team_id, app, config::text AS config, position FROM app_config"
                        + " WHERE team_id = ? AND enabled ORDER BY position, id",
                (rs, n) -> new AppConfig(rs.getLong("id"), rs.getLong("team_id"), rs.getString("app"),
                        parse(rs.getString("config")), rs.getInt("position")),
                teamId);
    }

    @Override
    public boolean anyEnabled() {
        return Boolean.TRUE.equals(jdbc.queryForObject("SELECT EXISTS (SELECT 1 FROM app_config WHERE enabled)", Boolean.class));
    }

    @Override
    public void disable(long appId, String reason) {
        jdbc.update("UPDATE app_config SET enabled = false, disabled_reason = ?, updated_at = now() WHERE id = ?", reason,
                appId);
    }

    private static JsonNode parse(String config) {
        return config == null ? Json.object() : Json.read(config);
    }
}
