package dev.ingest.decide.evaluation;

import dev.ingest.common.json.Json;
import dev.ingest.decide.config.DecideProperties;
import dev.ingest.decide.flags.FeatureFlag;
import dev.ingest.decide.flags.FlagDependencies;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Flag definitions, group types and cohorts per project, read from PostgreSQL at most once per refresh interval
 * (500 ms by default): a change made through the management API is served within a second. When PostgreSQL fails,
 * the last definitions read are kept and the error propagates only if there are none.
 */
@Component
public class DefinitionsCache {
    private static final Logger log = LoggerFactory.getLogger(DefinitionsCache.class);

    private final JdbcTemplate jdbc;
    private final long refreshNanos;
    private final Map<Long, Entry> entries = new ConcurrentHashMap<>();

    public DefinitionsCache(JdbcTemplate jdbc, DecideProperties properties) {
        this.jdbc = jdbc;
        this.refreshNanos = properties.definitionsRefresh().toNanos();
    }

    private record Entry(ProjectDefinitions definitions, long loadedAt) {}

    public ProjectDefinitions get(long teamId) {
        Entry entry = entries.get(teamId);
        long now = System.nanoTime();
        if (entry != null && now - entry.loadedAt() < refreshNanos) {
            return entry.definitions();
        }
        try {
            ProjectDefinitions loaded = load(teamId);
            entries.put(teamId, new Entry(loaded, now));
            return loaded;
        } catch (RuntimeException e) {
            if (entry != null) {
                log.warn("could not refresh flag definitions of project {}; serving the last ones read", teamId);
                return entry.definitions();
            }
            throw e;
        }
    }

    private ProjectDefinitions load(long teamId) {
        List<FeatureFlag> flags = new ArrayList<>();
        List<JsonNode> definitions = new ArrayList<>();
        StringBuilder version = new StringBuilder();
        jdbc.query("SELECT id, key, name, filters::text AS filters, active, ensure_experience_continuity,"
                + " evaluation_runtime, evaluation_contexts, version"
                + " FROM feature_flag WHERE team_id = ? AND NOT deleted ORDER BY id", rs -> {
                    ObjectNode definition = Json.object();
                    definition.put("id", rs.getLong("id"));
                    definition.put("team_id", teamId);
                    definition.put("key", rs.getString("key"));
                    definition.put("name", rs.getString("name"));
                    definition.set("filters", Json.read(rs.getString("filters")));
                    definition.put("active", rs.getBoolean("active"));
                    definition.put("deleted", false);
                    definition.put("ensure_experience_continuity", rs.getBoolean("ensure_experience_continuity"));
                    definition.put("version", rs.getInt("version"));
                    definition.put("evaluation_runtime", rs.getString("evaluation_runtime"));
                    ArrayNode contexts = definition.putArray("evaluation_contexts");
                    for (String context : (String[]) rs.getArray("evaluation_contexts").getArray()) {
                        contexts.add(context);
                    }
                    // Older SDKs read the environments under their former name.
                    definition.set("evaluation_tags", contexts.deepCopy());
                    JsonNode bucketing = definition.get("filters").path("bucketing_identifier");
                    if (bucketing.isString()) {
                        definition.put("bucketing_identifier", bucketing.stringValue());
                    }
                    try {
                        flags.add(FeatureFlag.fromJson(definition));
                        definitions.add(definition);
                    } catch (IllegalArgumentException e) {
                        log.warn("flag {} of project {} cannot be evaluated and is left out: {}", rs.getLong("id"), teamId,
                                e.getMessage());
                    }
                    version.append(rs.getLong("id")).append(':').append(rs.getInt("version")).append(',');
                }, teamId);
        Map<Integer, String> groupTypes = new LinkedHashMap<>();
        jdbc.query("SELECT group_type_index, group_type FROM group_type_mapping WHERE team_id = ? ORDER BY group_type_index",
                rs -> {
                    groupTypes.put(rs.getInt(1), rs.getString(2));
                }, teamId);
        Map<String, JsonNode> cohorts = new LinkedHashMap<>();
        Set<String> staticCohorts = new HashSet<>();
        jdbc.query("SELECT id, filters::text AS filters, is_static, version FROM cohort WHERE team_id = ? AND NOT deleted ORDER BY id",
                rs -> {
                    String id = Long.toString(rs.getLong("id"));
                    JsonNode filters = Json.read(rs.getString("filters"));
                    cohorts.put(id, filters.has("properties") ? filters.get("properties") : filters);
                    if (rs.getBoolean("is_static")) {
                        staticCohorts.add(id);
                    }
                    version.append('c').append(id).append(':').append(rs.getInt("version")).append(',');
                }, teamId);
        version.append(groupTypes);
        FlagDependencies dependencies = FlagDependencies.of(flags);
        LocalDefinitions.nameDependencies(dependencies, definitions);
        return new ProjectDefinitions(List.copyOf(flags), List.copyOf(definitions), Map.copyOf(groupTypes), cohorts,
                Set.copyOf(staticCohorts), digest(version.toString()), dependencies);
    }

    private static String digest(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
