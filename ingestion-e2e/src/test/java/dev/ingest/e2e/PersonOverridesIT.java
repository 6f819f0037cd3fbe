package dev.ingest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.clickhouse.client.ClickHouseHttpClient;
import dev.ingest.clickhouse.overrides.PersonOverridesSquash;
import dev.ingest.common.testing.Poll;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Persons on events after merges (docs/posthog-compatibility.md#persons-on-events-after-merges): events stored before a
 * merge keep the merged-away person's id, and the overrides say which person they belong to now. Counting unique
 * persons through the overrides gives PostgreSQL's number of persons, merge after merge (a chain included: an id moved
 * twice resolves to its latest person by version).
 */
class PersonOverridesIT {
    private final HttpClient http = HttpClient.newHttpClient();
    private final TestingPlatform platform = TestingPlatform.get();

    @Test
    void uniquePersonsThroughTheOverridesEqualPostgresPersonsAfterEveryMerge() throws Exception {
        TestingPlatform.TestProject project = platform.createProject("overrides");
        ClickHouseHttpClient clickhouse = platform.clickhouse();
        send(project, event("$pageview", "anon-1", ""), event("$pageview", "anon-1", ""), event("$pageview", "anon-2", ""),
                event("$pageview", "user-1", ""), event("$pageview", "user-2", ""));
        awaitEvents(clickhouse, project, 5);
        assertThat(uniquePersonsThroughOverrides(clickhouse, project.id())).isEqualTo(4).isEqualTo(platform.persons(project.id()));

        send(project, event("$identify", "user-1", "\"$anon_distinct_id\":\"anon-1\""));
        awaitEvents(clickhouse, project, 6);
        assertConverged(clickhouse, project, 3);

        send(project, event("$identify", "user-1", "\"$anon_distinct_id\":\"anon-2\""));
        awaitEvents(clickhouse, project, 7);
        assertConverged(clickhouse, project, 2);

        // user-1's person (already identified, holding anon-1 and anon-2) merged into user-2's: anon-1 moves again.
        send(project, event("$merge_dangerously", "user-2", "\"alias\":\"user-1\""));
        awaitEvents(clickhouse, project, 8);
        assertConverged(clickhouse, project, 1);
        assertThat(clickhouse.scalarLong("SELECT uniqExact(person_id) FROM posthog.events WHERE team_id = " + project.id()))
                .as("without the overrides the events still name the merged-away persons").isGreaterThan(1);
        JsonNode anon1 = clickhouse.rows("SELECT toString(argMax(person_id, version)) AS person, max(version) AS max_version"
                + " FROM posthog.person_distinct_id_overrides WHERE team_id = " + project.id() + " AND distinct_id = 'anon-1'")
                .getFirst();
        assertThat(anon1.get("person").asString()).isEqualTo(platform.personUuidOf(project.id(), "anon-1"));
        assertThat(anon1.get("max_version").asLong()).as("moved twice").isGreaterThanOrEqualTo(2);

        // The squash rewrites the events on every shard and retires the overrides; a second run finds nothing and
        // changes nothing. Events keep arriving meanwhile.
        send(project, event("$pageview", "anon-2", ""));
        PersonOverridesSquash squash = new PersonOverridesSquash(platform.clickhouseNodes(), "posthog", Duration.ZERO,
                Duration.ofMinutes(2), 100_000, message -> { });
        assertThat(squash.runFor(project.id()).overrides()).isPositive();
        awaitEvents(clickhouse, project, 9);
        assertThat(clickhouse.scalarLong("SELECT uniqExact(person_id) FROM posthog.events WHERE team_id = " + project.id()))
                .as("after the squash the events alone count the persons").isEqualTo(platform.persons(project.id()));
        assertThat(clickhouse.rows("SELECT DISTINCT toString(person_id) AS person FROM posthog.events WHERE team_id = "
                + project.id()).getFirst().get("person").asString()).isEqualTo(platform.personUuidOf(project.id(), "anon-1"));
        assertThat(clickhouse.scalarLong("SELECT count() FROM posthog.person_distinct_id_overrides WHERE team_id = "
                + project.id())).as("the squashed overrides are retired").isZero();
        assertThat(squash.runFor(project.id()).overrides()).as("nothing left to squash").isZero();
        assertThat(uniquePersonsThroughOverrides(clickhouse, project.id())).isEqualTo(1);
    }

    /** The query of the docs: each event's person, or the person its distinct id moved to. */
    static long uniquePersonsThroughOverrides(ClickHouseHttpClient clickhouse, long teamId) {
        return clickhouse.scalarLong("SELECT uniqExact(if(override_person_id = toUUID('00000000-0000-0000-0000-000000000000'),"
                + " person_id, override_person_id)) FROM posthog.events ANY LEFT JOIN (SELECT distinct_id,"
                + " argMax(person_id, version) AS override_person_id FROM posthog.person_distinct_id_overrides"
                + " WHERE team_id = " + teamId + " GROUP BY distinct_id) USING distinct_id WHERE team_id = " + teamId);
    }

    private void assertConverged(ClickHouseHttpClient clickhouse, TestingPlatform.TestProject project, long persons)
            throws Exception {
        assertThat(platform.persons(project.id())).isEqualTo(persons);
        Poll.until(Duration.ofSeconds(60), () -> uniquePersonsThroughOverrides(clickhouse, project.id()),
                count -> count == persons, "unique persons through the overrides = " + persons);
    }

    private static void awaitEvents(ClickHouseHttpClient clickhouse, TestingPlatform.TestProject project, long count) {
        Poll.until(Duration.ofSeconds(60), () -> clickhouse.scalarLong("SELECT count() FROM posthog.events FINAL WHERE team_id = "
                + project.id()), n -> n == count, count + " events in ClickHouse");
    }

    private void send(TestingPlatform.TestProject project, String... events) throws Exception {
        String body = "{\"api_key\":\"" + project.token() + "\",\"batch\":[" + String.join(",", events) + "]}";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(platform.captureUrl().resolve("/batch/"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private static String event(String name, String distinctId, String properties) {
        return "{\"event\":\"" + name + "\",\"distinct_id\":\"" + distinctId + "\",\"uuid\":\"" + UUID.randomUUID()
                + "\",\"properties\":{" + properties + "}}";
    }
}
