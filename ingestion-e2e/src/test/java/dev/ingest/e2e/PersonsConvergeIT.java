package dev.ingest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.clickhouse.client.ClickHouseHttpClient;
import dev.ingest.common.json.Json;
import dev.ingest.common.testing.Poll;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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

        PersonsConvergence.Persons postgres = PersonsConvergence.awaitConverged(platform, project.id(), Duration.ofSeconds(60));
        assertThat(postgres.distinctIds()).hasSize(40 + 20 + 10);
        assertThat(postgres.persons()).as("identifies and aliases added ids to the 40 persons").hasSize(40);

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
}
