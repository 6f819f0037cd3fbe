package dev.ingest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.clickhouse.client.ClickHouseHttpClient;
import dev.ingest.common.json.Json;
import dev.ingest.common.testing.Poll;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * After a mixed workload of pageviews, identifies, aliases and group identifies through capture, ClickHouse's person,
 * person_distinct_id2 and groups tables (read FINAL) equal PostgreSQL's persons, distinct ids and groups.
 */
class PersonsConvergeIT {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void personsDistinctIdsAndGroupsInClickHouseConvergeToPostgres() throws Exception {
        TestingPlatform platform = TestingPlatform.get();
        TestingPlatform.TestProject project = platform.createProject("converge");
        StringBuilder batch = new StringBuilder();
        int events = 0;
        for (int i = 0; i < 40; i++) {
            batch.append(events++ == 0 ? "" : ",").append(event("$pageview", "anon-" + i,
                    "\"$set\":{\"plan\":\"free\",\"n\":" + i + "},\"$current_url\":\"https://x.test/" + i + "\""));
        }
        for (int i = 0; i < 20; i++) {
            batch.append(',').append(event("$identify", "user-" + i,
                    "\"$anon_distinct_id\":\"anon-" + i + "\",\"$set\":{\"email\":\"u" + i + "@x.test\"}"));
            events++;
        }
        for (int i = 20; i < 30; i++) {
            batch.append(',').append(event("$create_alias", "anon-" + i, "\"alias\":\"alias-" + i + "\""));
            events++;
        }
        // An illegal id never merges (a warning). Events of different distinct ids run in different partitions, so
        // only merges whose outcome does not depend on their order are part of this workload.
        batch.append(',').append(event("$identify", "user-5", "\"$anon_distinct_id\":\"null\""));
        batch.append(',').append(event("$groupidentify", "user-2",
                "\"$group_type\":\"company\",\"$group_key\":\"acme\",\"$group_set\":{\"plan\":\"enterprise\"}"));
        batch.append(',').append(event("$pageview", "user-3", "\"$groups\":{\"company\":\"acme\"}"));
        events += 3;
        String body = "{\"api_key\":\"" + project.token() + "\",\"batch\":[" + batch + "]}";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(platform.captureUrl().resolve("/batch/"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);

        ClickHouseHttpClient clickhouse = platform.clickhouse();
        String team = " team_id = " + project.id();
        int expectedEvents = events;
        Poll.until(Duration.ofSeconds(60), () -> clickhouse.scalarLong("SELECT count() FROM posthog.events FINAL WHERE" + team),
                count -> count == expectedEvents, "events in ClickHouse");
        assertThat(clickhouse.scalarLong("SELECT count() FROM posthog.events WHERE" + team
                + " AND event = '$pageview' AND distinct_id = 'user-3' AND properties LIKE '%\"$group_0\":\"acme\"%'"))
                .isEqualTo(1);

        Map<String, String> postgresDistinctIds = postgres(project.id(), "SELECT d.distinct_id, p.uuid::text FROM person_distinct_id d"
                + " JOIN person p ON p.id = d.person_id WHERE d.team_id = ?");
        Map<String, String> postgresPersons = postgres(project.id(), "SELECT uuid::text, version || ' ' || properties::text"
                + " FROM person WHERE team_id = ?");
        assertThat(postgresDistinctIds).hasSize(40 + 20 + 10);
        assertThat(postgresPersons).as("identifies and aliases added ids to the 40 persons").hasSize(40);

        // Distinct ids: the latest version of each row, not deleted, for every node (each holds a full copy).
        for (ClickHouseHttpClient node : platform.clickhouseNodes()) {
            Poll.until(Duration.ofSeconds(60), () -> clickhouseMap(node, "SELECT distinct_id AS k, toString(argMax(person_id, version)) AS v"
                    + " FROM posthog.person_distinct_id2 FINAL WHERE" + team + " GROUP BY distinct_id HAVING argMax(is_deleted, version) = 0"),
                    postgresDistinctIds::equals, "person_distinct_id2 on " + node.baseUrl() + " equal to PostgreSQL");
            Poll.until(Duration.ofSeconds(60), () -> clickhouseMap(node, "SELECT toString(id) AS k,"
                    + " concat(toString(version), ' ', properties) AS v FROM posthog.person FINAL WHERE" + team + " AND is_deleted = 0"),
                    found -> samePersons(found, postgresPersons), "person on " + node.baseUrl() + " equal to PostgreSQL");
        }
        JsonNode group = clickhouse.rows("SELECT group_key, group_properties FROM posthog.groups FINAL WHERE" + team).getFirst();
        assertThat(group.get("group_key").asString()).isEqualTo("acme");
        assertThat(Json.read(group.get("group_properties").asString()).get("plan").asString()).isEqualTo("enterprise");
        Poll.until(Duration.ofSeconds(60), () -> clickhouse.scalarLong("SELECT count() FROM posthog.ingestion_warnings WHERE" + team
                + " AND type = 'cannot_merge_with_illegal_distinct_id'"), count -> count >= 1, "the refused merge's warning");
    }

    private static String event(String name, String distinctId, String properties) {
        return "{\"event\":\"" + name + "\",\"distinct_id\":\"" + distinctId + "\",\"uuid\":\"" + UUID.randomUUID()
                + "\",\"properties\":{" + properties + "}}";
    }

    /** Same uuids with the same version, and properties equal as JSON (key order may differ). */
    private static boolean samePersons(Map<String, String> clickhouse, Map<String, String> postgres) {
        if (!clickhouse.keySet().equals(postgres.keySet())) {
            return false;
        }
        for (Map.Entry<String, String> entry : postgres.entrySet()) {
            String[] expected = entry.getValue().split(" ", 2);
            String[] actual = clickhouse.get(entry.getKey()).split(" ", 2);
            if (!expected[0].equals(actual[0]) || !Json.read(expected[1]).equals(Json.read(actual[1]))) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> clickhouseMap(ClickHouseHttpClient node, String sql) {
        Map<String, String> values = new TreeMap<>();
        for (JsonNode row : node.rows(sql)) {
            values.put(row.get("k").asString(), row.get("v").asString());
        }
        return values;
    }

    private static Map<String, String> postgres(long teamId, String sql) throws Exception {
        Map<String, String> values = new HashMap<>();
        try (Connection connection = TestingPlatform.get().postgres();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, teamId);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    values.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return new TreeMap<>(values);
    }
}
