package dev.ingest.plugin.definition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import dev.ingest.common.testing.ManualClock;
import dev.ingest.plugin.testing.MigratedDatabase;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.node.ObjectNode;

/** Definitions on real PostgreSQL: written once, typed once, last_seen_at moved at most hourly. */
class DefinitionRecorderIT {
    private static JdbcTemplate jdbc;
    private static DefinitionRepository repository;
    private long teamId;
    private final ManualClock clock = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));

    @BeforeAll
    static void database() {
        DataSource dataSource = MigratedDatabase.create("definitions_it");
        jdbc = new JdbcTemplate(dataSource);
        repository = new DefinitionRepository(jdbc, new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
    }

    @BeforeEach
    void project() {
        teamId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2);
        jdbc.update("INSERT INTO team (id, uuid, name, api_token) VALUES (?, ?, 'definitions', ?)", teamId, UUID.randomUUID(),
                "phc_" + UUID.randomUUID().toString().replace("-", ""));
    }

    private void record(DefinitionRecorder recorder, String event, String properties) {
        DefinitionBatch batch = recorder.newBatch();
        batch.add(teamId, event, (ObjectNode) Json.read(properties.replace('\'', '"')), (team, type) -> Optional.of(1));
        recorder.record(batch);
    }

    private Map<String, Object> property(String name, int type) {
        return jdbc.queryForMap("SELECT property_type, is_numerical, group_type_index FROM property_definition"
                + " WHERE team_id = ? AND name = ? AND type = ?", teamId, name, type);
    }

    @Test
    void aRepeatedEventIsWrittenOnceAndTypedByItsFirstValue() {
        DefinitionRecorder recorder = new DefinitionRecorder(repository, 10_000, clock);
        record(recorder, "order paid", "{'amount':12.5,'paid_at':'2026-11-30T10:00:00Z','$set':{'plan':'pro'}}");
        long afterFirst = recorder.writes();

        for (int i = 0; i < 50; i++) {
            record(recorder, "order paid", "{'amount':'not a number','paid_at':'2026-11-30T10:00:00Z','$set':{'plan':'pro'}}");
        }

        assertThat(afterFirst).isEqualTo(1 + 3 + 2);
        assertThat(recorder.writes()).as("a known event costs no query").isEqualTo(afterFirst);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM event_definition WHERE team_id = ?", Long.class, teamId)).isOne();
        assertThat(property("amount", DefinitionBatch.EVENT)).containsEntry("property_type", "Numeric")
                .containsEntry("is_numerical", true);
        assertThat(property("paid_at", DefinitionBatch.EVENT)).containsEntry("property_type", "DateTime");
        assertThat(property("plan", DefinitionBatch.PERSON)).containsEntry("property_type", "String");
        assertThat(jdbc.queryForList("SELECT property FROM event_property WHERE team_id = ? ORDER BY property", String.class,
                teamId)).containsExactly("amount", "paid_at");
    }

    @Test
    void aNewProcessKeepsTheFirstTypeAndLastSeenMovesAtMostHourly() {
        record(new DefinitionRecorder(repository, 10_000, clock), "signup", "{'seats':3}");
        Instant firstSeen = lastSeen("signup");

        DefinitionRecorder restarted = new DefinitionRecorder(repository, 10_000, clock);
        clock.advance(Duration.ofMinutes(1));
        record(restarted, "signup", "{'seats':'many'}");
        assertThat(property("seats", DefinitionBatch.EVENT)).as("the type is set once").containsEntry("property_type", "Numeric");
        long writes = restarted.writes();

        clock.advance(Duration.ofMinutes(30));
        record(restarted, "signup", "{'seats':3}");
        clock.advance(Duration.ofMinutes(29));
        record(restarted, "signup", "{'seats':3}");

        assertThat(restarted.writes() - writes).as("within an hour at most one more write, for the event only")
                .isLessThanOrEqualTo(1);
        clock.advance(Duration.ofHours(1));
        record(restarted, "signup", "{'seats':3}");
        assertThat(lastSeen("signup")).isAfter(firstSeen);
        assertThat(restarted.writes() - writes).isBetween(1L, 2L);
    }

    @Test
    void groupPropertiesAreKeptPerGroupType() {
        DefinitionRecorder recorder = new DefinitionRecorder(repository, 10_000, clock);
        record(recorder, "$groupidentify", "{'$group_type':'company','$group_key':'acme','$group_set':{'seats':5}}");

        Map<String, Object> seats = property("seats", DefinitionBatch.GROUP);
        assertThat(((Number) seats.get("group_type_index")).intValue()).isEqualTo(1);
        assertThat(seats).containsEntry("property_type", "Numeric");
    }

    private Instant lastSeen(String event) {
        return jdbc.queryForObject("SELECT last_seen_at FROM event_definition WHERE team_id = ? AND name = ?",
                Timestamp.class, teamId, event).toInstant();
    }
}
