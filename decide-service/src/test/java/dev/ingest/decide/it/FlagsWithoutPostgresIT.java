package dev.ingest.decide.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import dev.ingest.common.testing.Poll;
import dev.ingest.common.testing.TestingFaults;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * PostgreSQL stops: flags that need nothing from it (rollouts, properties the request carries) still evaluate from
 * the cached definitions, those that do (stored person properties) are left out, and errorsWhileComputingFlags is
 * true (as PostHog's flags service answers when its database fails). The real server of the test stack is stopped and started again.
 */
class FlagsWithoutPostgresIT {
    @Test
    void flagsThatNeedNoDatabaseStillEvaluateWhilePostgresIsDown() {
        TestingDecide decide = TestingDecide.get();
        TestingDecide.Project project = decide.createProject();
        decide.createFlag(project.id(), "everyone", "{'groups':[{'properties':[],'rollout_percentage':100}]}", false);
        decide.createFlag(project.id(), "stored-plan", "{'groups':[{'properties':[{'key':'plan','value':'pro','type':'person'}],"
                + "'rollout_percentage':100}]}", false);
        String body = "{\"token\":\"" + project.token() + "\",\"distinct_id\":\"u1\"}";
        // Warm the token and definition caches while PostgreSQL is up.
        assertThat(decide.postJson("/flags/?v=2", body).statusCode()).isEqualTo(200);
        TestingFaults.stop("postgres");
        try {
            HttpResponse<String> response = decide.postJson("/flags/?v=2", body);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            JsonNode flags = Json.read(response.body());
            assertThat(flags.get("errorsWhileComputingFlags").asBoolean()).isTrue();
            assertThat(flags.get("flags").get("everyone").get("enabled").asBoolean()).isTrue();
            JsonNode withOverride = Json.read(decide.postJson("/flags/?v=2", "{\"token\":\"" + project.token()
                    + "\",\"distinct_id\":\"u1\",\"person_properties\":{\"plan\":\"pro\"}}").body());
            assertThat(withOverride.get("flags").get("stored-plan").get("enabled").asBoolean())
                    .as("the request's own properties need no database").isTrue();
        } finally {
            TestingFaults.start("postgres");
            // The pool drops its dead connections on first use: wait until the service answers from PostgreSQL again,
            // so the tests after this one find it healthy.
            String fresh = "{\"token\":\"" + decide.createProject().token() + "\",\"distinct_id\":\"u1\"}";
            Poll.until(Duration.ofSeconds(60), () -> decide.postJson("/flags/?v=2", fresh).statusCode(), status -> status == 200,
                    "decide answering again after PostgreSQL came back");
        }
    }
}
