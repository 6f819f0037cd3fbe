package dev.ingest.plugin.group;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import dev.ingest.common.kafka.OutgoingRecord;
import dev.ingest.plugin.testing.MigratedDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** A poll batch's group upserts written together, on real PostgreSQL (docs/posthog-compatibility.md#groups). */
class GroupBatchIT {
    private static final long TEAM = 7;
    private static final Instant FIRST = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant LATER = Instant.parse("2026-01-02T00:00:00Z");

    private static JdbcTemplate jdbc;
    private static GroupRepository groups;
    private static int company;

    @BeforeAll
    static void database() {
        DataSource dataSource = MigratedDatabase.create("group_batch_it");
        jdbc = new JdbcTemplate(dataSource);
        jdbc.update("INSERT INTO team (id, uuid, name, api_token) VALUES (?, ?, 'groups', ?)", TEAM, UUID.randomUUID(),
                "phc_group_batch_it");
        groups = new GroupRepository(jdbc);
        company = groups.typeIndex(TEAM, "company").orElseThrow();
    }

    private static JsonNode row(OutgoingRecord record) {
        return Json.read(new String(record.value(), StandardCharsets.UTF_8));
    }

    private static JsonNode properties(JsonNode row) {
        return Json.read(row.get("group_properties").asString());
    }

    @Test
    void upsertsOfOneGroupInABatchMergeInEventOrderIntoOneWriteAndOneRow() {
        String key = "acme-" + UUID.randomUUID();
        GroupBatch batch = new GroupBatch(groups);
        batch.upsert(TEAM, company, key, Json.object().put("plan", "free").put("seats", 3), FIRST);
        batch.upsert(TEAM, company, key, Json.object().put("plan", "pro"), LATER);

        List<OutgoingRecord> rows = batch.flush();

        assertThat(rows).singleElement().satisfies(record -> {
            JsonNode row = row(record);
            assertThat(row.get("group_key").asString()).isEqualTo(key);
            assertThat(properties(row).get("plan").asString()).isEqualTo("pro");
            assertThat(properties(row).get("seats").asInt()).isEqualTo(3);
            assertThat(row.get("version").asLong()).isEqualTo(1);
        });
        assertThat(jdbc.queryForObject("SELECT created_at FROM team_group WHERE team_id = ? AND group_key = ?",
                Timestamp.class, TEAM, key).toInstant()).isEqualTo(FIRST);
        assertThat(batch.flush()).as("nothing left pending").isEmpty();
    }

    @Test
    void aLaterBatchMergesIntoTheStoredPropertiesAndMovesTheVersion() {
        String key = "globex-" + UUID.randomUUID();
        GroupBatch first = new GroupBatch(groups);
        first.upsert(TEAM, company, key, Json.object().put("plan", "free").put("region", "eu"), FIRST);
        first.flush();

        GroupBatch second = new GroupBatch(groups);
        second.upsert(TEAM, company, key, Json.object().put("plan", "enterprise"), LATER);
        second.upsert(TEAM, company, "other-" + key, Json.object(), LATER);
        List<OutgoingRecord> rows = second.flush();

        assertThat(rows).hasSize(2);
        JsonNode stored = rows.stream().map(GroupBatchIT::row).filter(row -> row.get("group_key").asString().equals(key))
                .findFirst().orElseThrow();
        assertThat(properties(stored).get("region").asString()).isEqualTo("eu");
        assertThat(properties(stored).get("plan").asString()).isEqualTo("enterprise");
        assertThat(stored.get("version").asLong()).isEqualTo(2);
    }

    @Test
    void aKeyWithNulIsStoredWithTheReplacementCharacterAndMergesWithItsStoredForm() {
        String key = "nul\u0000key-" + UUID.randomUUID();
        String stored = key.replace('\0', '\uFFFD');
        GroupBatch batch = new GroupBatch(groups);
        batch.upsert(TEAM, company, key, Json.object().put("a", 1), FIRST);
        batch.upsert(TEAM, company, stored, Json.object().put("b", 2), FIRST);

        assertThat(batch.flush()).singleElement().satisfies(record -> {
            assertThat(row(record).get("group_key").asString()).isEqualTo(stored);
            assertThat(properties(row(record)).size()).isEqualTo(2);
        });
    }
}
