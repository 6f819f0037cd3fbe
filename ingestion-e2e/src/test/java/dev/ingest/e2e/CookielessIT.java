package dev.ingest.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import dev.ingest.common.testing.NodeScripts;
import dev.ingest.common.testing.Poll;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Cookieless mode with posthog-js in Chromium ({@code cookieless_mode: 'always'}): each visitor gets a hashed identity
 * instead of the shared placeholder, two user agents are two persons, one visitor's page loads stay one person, the
 * IP and raw user agent are not stored, and /flags answers for the same hashed person.
 */
class CookielessIT {
    @Test
    void cookielessVisitorsAreHashedIntoTheirOwnPersonsAndFlagsFollowThem() throws Exception {
        TestingPlatform platform = TestingPlatform.get();
        TestingPlatform.TestProject project = platform.createProject("cookieless");
        JsonNode patched = platform.api(project, "PATCH", "/", "{\"cookieless_server_hash_mode\":1}", 200);
        assertThat(patched.get("cookieless_server_hash_mode").asInt()).isEqualTo(1);
        platform.api(project, "POST", "/feature_flags/", "{\"key\":\"pro-only\",\"name\":\"Pro only\",\"filters\":"
                + "{\"groups\":[{\"properties\":[{\"key\":\"plan\",\"value\":\"pro\",\"operator\":\"exact\","
                + "\"type\":\"person\"}],\"rollout_percentage\":100}]}}", 201);
        String team = " WHERE team_id = " + project.id();

        try (SdkSite site = new SdkSite(platform, project.token(), "cookieless-page.html")) {
            NodeScripts.run("cookieless-browser.cjs", "visit", site.url() + "/");
            List<JsonNode> pageviews = Poll.until(Duration.ofSeconds(90), () -> platform.clickhouse().rows(
                            "SELECT distinct_id, toString(person_id) AS person, properties FROM posthog.events" + team
                                    + " AND event = '$pageview'"), rows -> rows.size() >= 3, "three page views");
            assertThat(pageviews).hasSize(3);
            Set<String> distinctIds = pageviews.stream().map(r -> r.get("distinct_id").asString()).collect(Collectors.toSet());
            assertThat(distinctIds).as("two visitors").hasSize(2).allMatch(id -> id.startsWith("cookieless_"));
            assertThat(pageviews.stream().map(r -> r.get("person").asString()).distinct().count()).as("two persons")
                    .isEqualTo(2);
            assertThat(pageviews).allSatisfy(row -> {
                JsonNode properties = Json.read(row.get("properties").asString());
                assertThat(properties.has("$ip")).as("no IP stored").isFalse();
                assertThat(properties.has("$raw_user_agent")).as("no raw user agent stored").isFalse();
                assertThat(properties.get("$device_id").asString()).startsWith("cookielessd_");
                assertThat(properties.get("$session_id").asString()).isNotBlank();
            });
            assertThat(platform.clickhouse().scalarLong("SELECT count() FROM posthog.events" + team
                    + " AND distinct_id = '$posthog_cookieless'")).as("nothing on the placeholder").isZero();
            String first = platform.clickhouse().rows("SELECT distinct_id FROM posthog.events" + team
                    + " AND event = 'upgraded'").getFirst().get("distinct_id").asString();
            assertThat(pageviews.stream().filter(r -> r.get("distinct_id").asString().equals(first)).count())
                    .as("the first visitor's two page loads are one visitor").isEqualTo(2);
            Poll.until(Duration.ofSeconds(90), () -> platform.clickhouse().scalarLong("SELECT count() FROM posthog.person"
                    + team + " AND visitParamExtractString(properties, 'plan') = 'pro'"), n -> n >= 1, "the pro person");

            String flags = NodeScripts.run("cookieless-browser.cjs", "flags", site.url() + "/");
            assertThat(Json.read(flags).get("pro-only").asBoolean()).as("/flags evaluated the hashed person: " + flags)
                    .isTrue();
        }
    }
}
