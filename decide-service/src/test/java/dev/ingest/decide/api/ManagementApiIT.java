package dev.ingest.decide.api;

import static dev.ingest.decide.it.ApiResponse.assertValidationError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import dev.ingest.common.testing.Poll;
import dev.ingest.common.testing.TestingPostgres;
import dev.ingest.common.testing.TestingStack;
import dev.ingest.decide.DecideApplication;
import dev.ingest.decide.auth.PersonalApiKeyValues;
import dev.ingest.decide.it.ApiResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The management API (/api/projects, feature_flags, cohorts, personal_api_keys) of decide-service, in this JVM, on a
 * fresh database of the test stack's PostgreSQL, driven over HTTP as PostHog's clients drive it.
 */
@ExtendWith(OutputCaptureExtension.class)
class ManagementApiIT {
    private static final String BOOTSTRAP = "phx_bootstrap_test_key";
    private static final String FULL_FLAG = """
            {"key":"new-checkout","name":"New checkout","active":true,"ensure_experience_continuity":false,
             "filters":{"groups":[{"properties":[{"key":"email","value":"@example.com","operator":"icontains",
                                                  "type":"person"}],"rollout_percentage":50,"variant":null},
                                  {"properties":[],"rollout_percentage":100,"variant":"test"}],
                        "multivariate":{"variants":[{"key":"control","name":"Control","rollout_percentage":50},
                                                    {"key":"test","name":"Test","rollout_percentage":50}]},
                        "payloads":{"true":"{\\"a\\":1}","control":"{\\"b\\":[1,2]}"},
                        "aggregation_group_type_index":null,"super_groups":[],"holdout_groups":[]}}""";

    private static String postgresUrl;
    private static ConfigurableApplicationContext context;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        postgresUrl = TestingPostgres.createDatabase("decide_api");
        context = DecideApplication.builder().run(
                "--server.port=0",
                "--spring.main.banner-mode=off",
                "--spring.datasource.url=" + postgresUrl,
                "--spring.datasource.username=" + TestingStack.postgresUser(),
                "--ingest.decide.bootstrap-personal-api-key=" + BOOTSTRAP);
    }

    @AfterAll
    static void stop() {
        if (context != null) {
            context.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Authentication and scope

    @Test
    void everyRouteNeedsAValidPersonalApiKey() {
        for (String path : List.of("/api/projects/", "/api/projects/1/", "/api/projects/1/feature_flags/",
                "/api/projects/1/cohorts/", "/api/personal_api_keys/", "/api/unknown/")) {
            ApiResponse missing = call("GET", path, null, null);
            assertThat(missing.status()).as(path).isEqualTo(401);
            assertThat(missing.json().get("type").asString()).isEqualTo("authentication_error");
            assertThat(missing.json().get("code").asString()).isEqualTo("not_authenticated");
            assertThat(missing.json().get("detail").asString()).isNotBlank();

            ApiResponse unknown = call("GET", path, "phx_not_a_key", null);
            assertThat(unknown.status()).as(path).isEqualTo(401);
            assertThat(unknown.json().get("code").asString()).isEqualTo("not_authenticated");
        }
        ApiResponse basic = send(request("POST", "/api/projects/", "{\"name\":\"x\"}")
                .header("Authorization", "Basic " + BOOTSTRAP));
        assertThat(basic.status()).isEqualTo(401);
        assertThat(count("SELECT count(*) FROM team WHERE name = 'x'")).isZero();
    }

    @Test
    void aScopedKeySeesOnlyItsProjectsAndIsRefusedTheOthers() {
        long mine = createProject("scoped mine");
        long other = createProject("scoped other");
        String key = createKey(BOOTSTRAP, "only mine", mine).get("value").asString();
        long flag = createFlag(BOOTSTRAP, other, "{\"key\":\"theirs\"}");

        ApiResponse list = call("GET", "/api/projects/", key, null);
        assertThat(list.status()).isEqualTo(200);
        assertThat(ids(list.json().get("results"))).containsExactly(mine);
        assertThat(list.json().get("count").asLong()).isEqualTo(1);

        for (String[] route : new String[][] {
                {"GET", "/api/projects/" + other + "/"},
                {"PATCH", "/api/projects/" + other + "/"},
                {"GET", "/api/projects/" + other + "/feature_flags/"},
                {"POST", "/api/projects/" + other + "/feature_flags/"},
                {"GET", "/api/projects/" + other + "/feature_flags/" + flag + "/"},
                {"PATCH", "/api/projects/" + other + "/feature_flags/" + flag + "/"},
                {"DELETE", "/api/projects/" + other + "/feature_flags/" + flag + "/"},
                {"GET", "/api/projects/" + other + "/cohorts/"},
                {"POST", "/api/projects/" + other + "/cohorts/"},
                {"GET", "/api/projects/999999999/"}}) {
            ApiResponse refused = call(route[0], route[1], key, "{\"key\":\"mine-now\",\"name\":\"taken\"}");
            assertThat(refused.status()).as(route[0] + " " + route[1]).isEqualTo(403);
            assertThat(refused.json().get("type").asString()).isEqualTo("authentication_error");
            assertThat(refused.json().get("code").asString()).isEqualTo("permission_denied");
        }
        assertThat(call("GET", "/api/projects/" + other + "/feature_flags/" + flag + "/", BOOTSTRAP, null)
                .json().get("deleted").asBoolean()).isFalse();
        assertThat(count("SELECT count(*) FROM feature_flag WHERE key = 'mine-now'")).isZero();

        ApiResponse own = call("GET", "/api/projects/" + mine + "/", key, null);
        assertThat(own.status()).isEqualTo(200);
        assertThat(own.json().get("name").asString()).isEqualTo("scoped mine");
        assertThat(call("POST", "/api/projects/" + mine + "/feature_flags/", key, "{\"key\":\"ok\"}").status())
                .isEqualTo(201);
    }

    @Test
    void unknownProjectsAndIdsAreNotFound() {
        long project = createProject("not found");
        for (String path : List.of("/api/projects/987654321/", "/api/projects/987654321/feature_flags/",
                "/api/projects/abc/", "/api/projects/" + project + "/feature_flags/987654321/",
                "/api/projects/" + project + "/feature_flags/abc/", "/api/projects/" + project + "/cohorts/987654321/",
                "/api/personal_api_keys/987654321/")) {
            ApiResponse response = call("GET", path, BOOTSTRAP, null);
            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(response.json().get("code").asString()).isEqualTo("not_found");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Projects

    @Test
    void createsAProjectWithAPublicTokenAndUpdatesItsSettings() {
        ApiResponse created = call("POST", "/api/projects/", BOOTSTRAP, "{\"name\":\"Shop\",\"anonymize_ips\":true}");

        assertThat(created.status()).isEqualTo(201);
        JsonNode project = created.json();
        long id = project.get("id").asLong();
        assertThat(project.get("name").asString()).isEqualTo("Shop");
        assertThat(project.get("api_token").asString()).matches("phc_[A-Za-z0-9]{40}");
        assertThat(UUID.fromString(project.get("uuid").asString())).isNotNull();
        assertThat(project.get("anonymize_ips").asBoolean()).isTrue();
        assertThat(project.get("person_processing_opt_out").asBoolean()).isFalse();
        assertThat(Instant.parse(project.get("created_at").asString())).isBefore(Instant.now().plusSeconds(5));
        assertThat(queryString("SELECT api_token FROM team WHERE id = ?", id))
                .isEqualTo(project.get("api_token").asString());
        assertThat(call("GET", "/api/projects/" + id + "/", BOOTSTRAP, null).json()).isEqualTo(project);
        assertThat(call("GET", "/api/projects", BOOTSTRAP, null).json().get("results").toString())
                .contains(project.get("api_token").asString());

        ApiResponse patched = call("PATCH", "/api/projects/" + id + "/", BOOTSTRAP,
                "{\"name\":\"Shop EU\",\"person_processing_opt_out\":true}");
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().get("name").asString()).isEqualTo("Shop EU");
        assertThat(patched.json().get("person_processing_opt_out").asBoolean()).isTrue();
        assertThat(patched.json().get("anonymize_ips").asBoolean()).isTrue();
        assertThat(patched.json().get("api_token")).isEqualTo(project.get("api_token"));

        assertValidationError(call("POST", "/api/projects/", BOOTSTRAP, "{}"), "name");
        assertValidationError(call("POST", "/api/projects/", BOOTSTRAP, "{\"name\":\"x\",\"anonymize_ips\":\"no?\"}"),
                "anonymize_ips");
        assertValidationError(call("PATCH", "/api/projects/" + id + "/", BOOTSTRAP, "{\"name\":\"\"}"), "name");
    }

    @Test
    void twoProjectsNeverShareAToken() {
        String first = call("POST", "/api/projects/", BOOTSTRAP, "{\"name\":\"a\"}").json().get("api_token").asString();
        String second = call("POST", "/api/projects/", BOOTSTRAP, "{\"name\":\"b\"}").json().get("api_token").asString();

        assertThat(first).isNotEqualTo(second);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Feature flags

    @Test
    void flagCrudRoundTripsPostHogsJson() throws InterruptedException {
        long project = createProject("flags");
        String path = "/api/projects/" + project + "/feature_flags/";

        ApiResponse created = call("POST", path, BOOTSTRAP, FULL_FLAG);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        JsonNode flag = created.json();
        long id = flag.get("id").asLong();
        JsonNode sent = Json.read(FULL_FLAG);
        for (String field : List.of("key", "name", "active", "ensure_experience_continuity", "filters")) {
            assertThat(flag.get(field)).as(field).isEqualTo(sent.get(field));
        }
        assertThat(flag.get("deleted").asBoolean()).isFalse();
        assertThat(flag.get("version").asInt()).isEqualTo(1);
        assertThat(flag.get("team_id").asLong()).isEqualTo(project);
        Instant createdAt = Instant.parse(flag.get("created_at").asString());
        assertThat(Instant.parse(flag.get("updated_at").asString())).isEqualTo(createdAt);

        assertThat(call("GET", path + id + "/", BOOTSTRAP, null).json()).isEqualTo(flag);
        ApiResponse list = call("GET", path, BOOTSTRAP, null);
        assertThat(list.json().get("count").asLong()).isEqualTo(1);
        assertThat(list.json().get("results").get(0)).isEqualTo(flag);
        assertThat(list.json().has("next")).isTrue();

        Thread.sleep(5);
        ApiResponse patched = call("PATCH", path + id, BOOTSTRAP, "{\"active\":false,\"name\":\"Checkout v2\"}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().get("active").asBoolean()).isFalse();
        assertThat(patched.json().get("name").asString()).isEqualTo("Checkout v2");
        assertThat(patched.json().get("filters")).isEqualTo(sent.get("filters"));
        assertThat(patched.json().get("version").asInt()).isEqualTo(2);
        Instant patchedAt = Instant.parse(patched.json().get("updated_at").asString());
        assertThat(patchedAt).isAfter(createdAt);

        ApiResponse refiltered = call("PATCH", path + id + "/", BOOTSTRAP,
                "{\"filters\":{\"groups\":[{\"properties\":[],\"rollout_percentage\":25}]}}");
        assertThat(refiltered.json().get("filters"))
                .isEqualTo(Json.read("{\"groups\":[{\"properties\":[],\"rollout_percentage\":25}]}"));
        assertThat(refiltered.json().get("version").asInt()).isEqualTo(3);

        ApiResponse deleted = call("DELETE", path + id + "/", BOOTSTRAP, null);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        JsonNode afterDelete = call("GET", path + id + "/", BOOTSTRAP, null).json();
        assertThat(afterDelete.get("deleted").asBoolean()).isTrue();
        assertThat(afterDelete.get("version").asInt()).isEqualTo(4);
        assertThat(Instant.parse(afterDelete.get("updated_at").asString())).isAfter(patchedAt);
        assertThat(call("GET", path, BOOTSTRAP, null).json().get("count").asLong()).isZero();
        assertThat(count("SELECT count(*) FROM feature_flag WHERE id = ? AND deleted", id)).isEqualTo(1);

        // The key of a deleted flag is free again; restoring the old one would then clash.
        long again = createFlag(BOOTSTRAP, project, "{\"key\":\"new-checkout\"}");
        assertThat(again).isNotEqualTo(id);
        assertValidationError(call("PATCH", path + id + "/", BOOTSTRAP, "{\"deleted\":false}"), "key");
    }

    @Test
    void invalidFlagsAreRefusedNamingTheField() {
        long project = createProject("invalid flags");
        String path = "/api/projects/" + project + "/feature_flags/";
        createFlag(BOOTSTRAP, project, "{\"key\":\"taken\"}");

        String[][] cases = {
                {"{\"name\":\"no key\"}", "key"},
                {"{\"key\":\"has space\"}", "key"},
                {"{\"key\":\"a/b\"}", "key"},
                {"{\"key\":\"taken\"}", "key"},
                {"{\"key\":\"f\",\"active\":\"sometimes\"}", "active"},
                {"{\"key\":\"f\",\"filters\":[]}", "filters"},
                {"{\"key\":\"f\",\"filters\":{\"groups\":[{\"rollout_percentage\":101}]}}", "filters"},
                {"{\"key\":\"f\",\"filters\":{\"groups\":[{\"rollout_percentage\":-5}]}}", "filters"},
                {"{\"key\":\"f\",\"filters\":{\"multivariate\":{\"variants\":[{\"key\":\"a\",\"rollout_percentage\":60},"
                        + "{\"key\":\"b\",\"rollout_percentage\":60}]}}}", "filters"},
                {"{\"key\":\"f\",\"filters\":{\"multivariate\":{\"variants\":[{\"key\":\"a\",\"rollout_percentage\":50},"
                        + "{\"key\":\"a\",\"rollout_percentage\":50}]}}}", "filters"},
                {"{\"key\":\"f\",\"filters\":{\"payloads\":{\"control\":\"1\"}}}", "filters"},
                {"{\"key\":\"f\",\"filters\":{\"payloads\":{\"true\":\"notjson\"}}}", "filters.payloads.true"},
                {"{\"key\":\"f\",\"evaluation_runtime\":\"edge\"}", "evaluation_runtime"},
                {"{\"key\":\"f\",\"filters\":{\"groups\":[{\"variant\":\"missing\"}]}}", "filters"},
                {"{\"key\":\"f\",\"filters\":{\"groups\":[{\"properties\":[{\"value\":\"no key\"}]}]}}", "filters"},
                {"{\"key\":\"f\",\"filters\":{\"groups\":[{\"properties\":[{\"key\":\"a\",\"operator\":\"sounds_like\"}]}]}}",
                        "filters"},
                {"{\"key\":\"f\",\"filters\":{\"groups\":[{\"properties\":[{\"key\":\"id\",\"type\":\"cohort\",\"value\":"
                        + "987654321}]}]}}", "filters"},
                {"{\"key\":\"f\",\"name\":\"nul\\u0000\"}", "name"},
        };
        for (String[] invalid : cases) {
            assertValidationError(call("POST", path, BOOTSTRAP, invalid[0]), invalid[1]);
        }
        ApiResponse notJson = call("POST", path, BOOTSTRAP, "{\"key\":");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.json().get("code").asString()).isEqualTo("parse_error");
        ApiResponse form = send(HttpRequest.newBuilder(url(path)).header("Authorization", "Bearer " + BOOTSTRAP)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"as-form\"}")));
        assertThat(form.status()).isEqualTo(415);
        assertThat(form.json().get("code").asString()).isEqualTo("unsupported_media_type");
        assertThat(call("GET", path, BOOTSTRAP, null).json().get("count").asLong()).isEqualTo(1);

        long flag = createFlag(BOOTSTRAP, project, "{\"key\":\"other\"}");
        assertValidationError(call("PATCH", path + flag + "/", BOOTSTRAP, "{\"key\":\"taken\"}"), "key");
        assertValidationError(call("PATCH", path + flag + "/", BOOTSTRAP,
                "{\"filters\":{\"groups\":[{\"rollout_percentage\":\"lots\"}]}}"), "filters");
        assertThat(call("GET", path + flag + "/", BOOTSTRAP, null).json().get("version").asInt()).isEqualTo(1);
    }

    @Test
    void aProjectNeverSeesAnotherProjectsFlags() {
        long mine = createProject("isolation mine");
        long theirs = createProject("isolation theirs");
        long theirFlag = createFlag(BOOTSTRAP, theirs, "{\"key\":\"secret\",\"name\":\"theirs\"}");

        String viaMine = "/api/projects/" + mine + "/feature_flags/" + theirFlag + "/";
        assertThat(call("GET", viaMine, BOOTSTRAP, null).status()).isEqualTo(404);
        assertThat(call("PATCH", viaMine, BOOTSTRAP, "{\"name\":\"hijacked\"}").status()).isEqualTo(404);
        assertThat(call("DELETE", viaMine, BOOTSTRAP, null).status()).isEqualTo(404);
        assertThat(call("GET", "/api/projects/" + mine + "/feature_flags/", BOOTSTRAP, null).json().get("count")
                .asLong()).isZero();

        JsonNode untouched = call("GET", "/api/projects/" + theirs + "/feature_flags/" + theirFlag + "/", BOOTSTRAP,
                null).json();
        assertThat(untouched.get("name").asString()).isEqualTo("theirs");
        assertThat(untouched.get("deleted").asBoolean()).isFalse();
        assertThat(untouched.get("version").asInt()).isEqualTo(1);
        // The same key in another project is a different flag.
        assertThat(call("POST", "/api/projects/" + mine + "/feature_flags/", BOOTSTRAP, "{\"key\":\"secret\"}")
                .status()).isEqualTo(201);
    }

    @Test
    void aFlagWrittenThroughTheApiIsServedByFlagsWithinSeconds() {
        JsonNode project = call("POST", "/api/projects/", BOOTSTRAP, "{\"name\":\"served\"}").json();
        String path = "/api/projects/" + project.get("id").asLong() + "/feature_flags/";
        long id = createFlag(BOOTSTRAP, project.get("id").asLong(),
                "{\"key\":\"everyone\",\"filters\":{\"groups\":[{\"properties\":[],\"rollout_percentage\":100}]}}");
        String request = "{\"token\":\"" + project.get("api_token").asString() + "\",\"distinct_id\":\"user-1\"}";

        Poll.until(Duration.ofSeconds(10), () -> flagsResponse(request), body -> body.contains("\"everyone\"")
                && Json.read(body).path("featureFlags").path("everyone").asBoolean(false), "the new flag served");
        call("PATCH", path + id + "/", BOOTSTRAP, "{\"active\":false}");
        Poll.until(Duration.ofSeconds(10), () -> flagsResponse(request),
                body -> !Json.read(body).path("featureFlags").path("everyone").asBoolean(false), "the flag switched off");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Cohorts

    @Test
    void cohortCrudWithStaticMembers() {
        long project = createProject("cohorts");
        long other = createProject("cohorts other");
        String path = "/api/projects/" + project + "/cohorts/";
        long person = insertPerson(project, "alice", "alice-device");
        long otherPerson = insertPerson(other, "bob");

        ApiResponse dynamic = call("POST", path, BOOTSTRAP, """
                {"name":"Pro users","description":"on the pro plan","filters":{"properties":{"type":"OR","values":[
                  {"type":"AND","values":[{"key":"plan","value":"pro","operator":"exact","type":"person"}]}]}}}""");
        assertThat(dynamic.status()).as(dynamic.body()).isEqualTo(201);
        long dynamicId = dynamic.json().get("id").asLong();
        assertThat(dynamic.json().get("is_static").asBoolean()).isFalse();
        assertThat(dynamic.json().get("filters").get("properties").get("type").asString()).isEqualTo("OR");
        assertThat(dynamic.json().get("count").isNull()).isTrue();

        ApiResponse uploaded = call("POST", path, BOOTSTRAP, "{\"name\":\"Beta testers\",\"is_static\":true}");
        assertThat(uploaded.status()).isEqualTo(201);
        long staticId = uploaded.json().get("id").asLong();
        assertThat(uploaded.json().get("count").asLong()).isZero();

        ApiResponse added = call("POST", path + staticId + "/persons/", BOOTSTRAP,
                "{\"distinct_ids\":[\"alice\",\"alice-device\",\"bob\",\"nobody\"]}");
        assertThat(added.status()).as(added.body()).isEqualTo(200);
        assertThat(added.json().get("added").asLong()).isEqualTo(1);
        assertThat(added.json().get("count").asLong()).isEqualTo(1);
        assertThat(added.json().get("unknown_distinct_ids").toString()).isEqualTo("[\"bob\",\"nobody\"]");
        assertThat(count("SELECT count(*) FROM cohort_person WHERE cohort_id = ? AND person_id = ?", staticId, person)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM cohort_person WHERE person_id = ?", otherPerson)).isZero();
        JsonNode afterAdding = call("GET", path + staticId + "/", BOOTSTRAP, null).json();
        assertThat(afterAdding.get("count").asLong()).isEqualTo(1);
        assertThat(afterAdding.get("version").asInt()).isEqualTo(2);
        assertThat(call("POST", path + staticId + "/persons/", BOOTSTRAP, "{\"distinct_ids\":[\"alice\"]}")
                .json().get("added").asLong()).isZero();
        assertValidationError(call("POST", path + dynamicId + "/persons/", BOOTSTRAP, "{\"distinct_ids\":[\"alice\"]}"),
                "is_static");
        assertValidationError(call("POST", path + staticId + "/persons/", BOOTSTRAP, "{\"distinct_ids\":[]}"),
                "distinct_ids");

        ApiResponse patched = call("PATCH", path + dynamicId + "/", BOOTSTRAP, "{\"name\":\"Pro\",\"filters\":"
                + "{\"properties\":{\"type\":\"AND\",\"values\":[{\"key\":\"id\",\"type\":\"cohort\",\"value\":"
                + staticId + "}]}}}");
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().get("name").asString()).isEqualTo("Pro");
        assertThat(patched.json().get("version").asInt()).isEqualTo(2);
        assertThat(call("GET", path, BOOTSTRAP, null).json().get("count").asLong()).isEqualTo(2);

        // A flag may target this project's cohorts, not another's.
        long theirCohort = call("POST", "/api/projects/" + other + "/cohorts/", BOOTSTRAP, "{\"is_static\":true}")
                .json().get("id").asLong();
        String cohortFlag = "{\"key\":\"cohort-flag\",\"filters\":{\"groups\":[{\"properties\":[{\"key\":\"id\","
                + "\"type\":\"cohort\",\"value\":%d}]}]}}";
        assertThat(call("POST", "/api/projects/" + project + "/feature_flags/", BOOTSTRAP,
                cohortFlag.formatted(dynamicId)).status()).isEqualTo(201);
        assertValidationError(call("POST", "/api/projects/" + project + "/feature_flags/", BOOTSTRAP,
                cohortFlag.formatted(theirCohort).replace("cohort-flag", "cohort-flag-2")), "filters");
        assertThat(call("GET", "/api/projects/" + project + "/cohorts/" + theirCohort + "/", BOOTSTRAP, null).status())
                .isEqualTo(404);
        assertThat(call("POST", "/api/projects/" + project + "/cohorts/" + theirCohort + "/persons/", BOOTSTRAP,
                "{\"distinct_ids\":[\"alice\"]}").status()).isEqualTo(404);

        ApiResponse deleted = call("DELETE", path + staticId + "/", BOOTSTRAP, null);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(call("GET", path + staticId + "/", BOOTSTRAP, null).json().get("deleted").asBoolean()).isTrue();
        JsonNode list = call("GET", path, BOOTSTRAP, null).json();
        assertThat(list.get("count").asLong()).isEqualTo(1);
        assertThat(ids(list.get("results"))).containsExactly(dynamicId);
    }

    @Test
    void cohortsAreValidatedAndNeverReferToEachOtherInACycle() {
        long project = createProject("cohort cycles");
        String path = "/api/projects/" + project + "/cohorts/";
        String refersTo = "{\"filters\":{\"properties\":{\"type\":\"AND\",\"values\":[{\"key\":\"id\",\"type\":"
                + "\"cohort\",\"value\":%d}]}}}";
        long base = call("POST", path, BOOTSTRAP, "{\"filters\":{\"properties\":{\"type\":\"AND\",\"values\":[]}}}")
                .json().get("id").asLong();
        long middle = call("POST", path, BOOTSTRAP, refersTo.formatted(base)).json().get("id").asLong();
        long top = call("POST", path, BOOTSTRAP, refersTo.formatted(middle)).json().get("id").asLong();

        assertValidationError(call("PATCH", path + base + "/", BOOTSTRAP, refersTo.formatted(top)), "filters");
        assertValidationError(call("PATCH", path + base + "/", BOOTSTRAP, refersTo.formatted(base)), "filters");
        assertValidationError(call("POST", path, BOOTSTRAP, "{\"name\":\"no filters\"}"), "filters");
        assertValidationError(call("POST", path, BOOTSTRAP,
                "{\"filters\":{\"properties\":{\"type\":\"MAYBE\",\"values\":[]}}}"), "filters");
        assertValidationError(call("PATCH", path + middle + "/", BOOTSTRAP, "{\"is_static\":true}"), "is_static");
        assertThat(call("GET", path + base + "/", BOOTSTRAP, null).json().get("version").asInt()).isEqualTo(1);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Personal API keys

    @Test
    void keysAreShownOnceStoredHashedAndScopedWithinTheirCreator(CapturedOutput output) {
        long first = createProject("keys first");
        long second = createProject("keys second");

        JsonNode scoped = createKey(BOOTSTRAP, "ci", first);
        String value = scoped.get("value").asString();
        assertThat(value).matches("phx_[A-Za-z0-9]{43}");
        assertThat(scoped.get("mask_value").asString()).isEqualTo(PersonalApiKeyValues.mask(value));
        assertThat(scoped.get("scoped_teams").toString()).isEqualTo("[" + first + "]");
        assertThat(scoped.get("label").asString()).isEqualTo("ci");
        long keyId = scoped.get("id").asLong();
        assertThat(queryString("SELECT secure_value FROM personal_api_key WHERE id = ?", keyId))
                .isEqualTo(PersonalApiKeyValues.hash(value));
        assertThat(count("SELECT count(*) FROM personal_api_key WHERE secure_value = ? OR mask_value = ? OR label = ?",
                value, value, value)).isZero();

        JsonNode listed = findById(call("GET", "/api/personal_api_keys/", BOOTSTRAP, null).json(), keyId);
        assertThat(listed.has("value")).isFalse();
        assertThat(listed.get("mask_value").asString()).isEqualTo(scoped.get("mask_value").asString());

        // The scoped key works, records its use, and never grants more than it has.
        assertThat(call("GET", "/api/projects/" + first + "/", value, null).status()).isEqualTo(200);
        assertThat(queryString("SELECT last_used_at::text FROM personal_api_key WHERE id = ?", keyId)).isNotNull();
        assertThat(call("POST", "/api/projects/", value, "{\"name\":\"from scoped\"}").status()).isEqualTo(403);
        assertThat(call("POST", "/api/personal_api_keys/", value, "{\"label\":\"wider\",\"scoped_teams\":[" + first
                + "," + second + "]}").status()).isEqualTo(403);
        assertThat(call("POST", "/api/personal_api_keys/", value, "{\"label\":\"unscoped\"}").status()).isEqualTo(403);
        JsonNode narrower = createKey(value, "narrower", first);
        assertThat(ids(call("GET", "/api/personal_api_keys/", value, null).json()))
                .contains(keyId, narrower.get("id").asLong())
                .allMatch(id -> !call("GET", "/api/personal_api_keys/" + id + "/", value, null).json()
                        .get("scoped_teams").isEmpty());

        // A key created without scope may create projects, as the bootstrap key does.
        ApiResponse unscoped = call("POST", "/api/personal_api_keys/", BOOTSTRAP, "{\"label\":\"admin\"}");
        assertThat(unscoped.status()).isEqualTo(201);
        assertThat(unscoped.json().get("scoped_teams").isEmpty()).isTrue();
        String admin = unscoped.json().get("value").asString();
        assertThat(call("POST", "/api/projects/", admin, "{\"name\":\"from admin\"}").status()).isEqualTo(201);
        assertThat(ids(call("GET", "/api/personal_api_keys/", value, null).json()))
                .doesNotContain(unscoped.json().get("id").asLong());

        assertValidationError(call("POST", "/api/personal_api_keys/", BOOTSTRAP,
                "{\"label\":\"ghost\",\"scoped_teams\":[987654321]}"), "scoped_teams");
        assertValidationError(call("POST", "/api/personal_api_keys/", BOOTSTRAP, "{}"), "label");

        // Revocation is immediate.
        assertThat(call("DELETE", "/api/personal_api_keys/" + narrower.get("id").asLong() + "/", value, null).status())
                .isEqualTo(204);
        assertThat(call("GET", "/api/projects/" + first + "/", narrower.get("value").asString(), null).status())
                .isEqualTo(401);

        assertThat(output.getAll()).doesNotContain(value, admin, narrower.get("value").asString(), BOOTSTRAP);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Hostile input

    @Test
    void sqlInjectionLookingValuesAreStoredVerbatim() {
        String hostile = "Robert'); DROP TABLE team; -- \" \\ ' OR '1'='1 $$ ; SELECT pg_sleep(10);";
        String quoted = Json.write(hostile);
        JsonNode project = call("POST", "/api/projects/", BOOTSTRAP, "{\"name\":" + quoted + "}").json();
        long id = project.get("id").asLong();
        assertThat(project.get("name").asString()).isEqualTo(hostile);

        String filters = "{\"groups\":[{\"properties\":[{\"key\":" + quoted + ",\"value\":" + quoted
                + ",\"operator\":\"exact\",\"type\":\"person\"}],\"rollout_percentage\":100}],\"payloads\":{\"true\":"
                + Json.write(quoted) + "}}";
        ApiResponse flag = call("POST", "/api/projects/" + id + "/feature_flags/", BOOTSTRAP,
                "{\"key\":\"x-1_OR_1\",\"name\":" + quoted + ",\"filters\":" + filters + "}");
        assertThat(flag.status()).as(flag.body()).isEqualTo(201);
        assertThat(flag.json().get("name").asString()).isEqualTo(hostile);
        assertThat(flag.json().get("filters")).isEqualTo(Json.read(filters));

        ApiResponse cohort = call("POST", "/api/projects/" + id + "/cohorts/", BOOTSTRAP,
                "{\"name\":" + quoted + ",\"description\":" + quoted + ",\"is_static\":true}");
        assertThat(cohort.json().get("name").asString()).isEqualTo(hostile);
        assertThat(cohort.json().get("description").asString()).isEqualTo(hostile);
        assertThat(call("POST", "/api/projects/" + id + "/cohorts/" + cohort.json().get("id").asLong() + "/persons/",
                BOOTSTRAP, "{\"distinct_ids\":[" + quoted + "]}").json().get("unknown_distinct_ids").get(0).asString())
                .isEqualTo(hostile);

        ApiResponse key = call("POST", "/api/personal_api_keys/", BOOTSTRAP,
                "{\"label\":\"'; DELETE FROM personal_api_key;--\",\"scoped_teams\":[" + id + "]}");
        assertThat(key.json().get("label").asString()).isEqualTo("'; DELETE FROM personal_api_key;--");
        assertThat(call("GET", "/api/projects/?limit=1;DROP%20TABLE%20team", BOOTSTRAP, null).status()).isEqualTo(400);
        assertThat(call("GET", "/api/projects/1%20OR%201=1/", BOOTSTRAP, null).status()).isEqualTo(404);

        assertThat(call("GET", "/api/projects/" + id + "/", BOOTSTRAP, null).json().get("name").asString())
                .isEqualTo(hostile);
        assertThat(queryString("SELECT name FROM team WHERE id = ?", id)).isEqualTo(hostile);
        assertThat(count("SELECT count(*) FROM personal_api_key")).isPositive();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers

    private static long createProject(String name) {
        ApiResponse response = call("POST", "/api/projects/", BOOTSTRAP, "{\"name\":" + Json.write(name) + "}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("id").asLong();
    }

    private static long createFlag(String key, long project, String body) {
        ApiResponse response = call("POST", "/api/projects/" + project + "/feature_flags/", key, body);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json().get("id").asLong();
    }

    private static JsonNode createKey(String creator, String label, long project) {
        ApiResponse response = call("POST", "/api/personal_api_keys/", creator,
                "{\"label\":\"" + label + "\",\"scoped_teams\":[" + project + "]}");
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    private static List<Long> ids(JsonNode array) {
        List<Long> ids = new ArrayList<>();
        array.forEach(item -> ids.add(item.get("id").asLong()));
        return ids;
    }

    private static JsonNode findById(JsonNode array, long id) {
        for (JsonNode item : array) {
            if (item.get("id").asLong() == id) {
                return item;
            }
        }
        throw new AssertionError("no item " + id + " in " + array);
    }

    private static String flagsResponse(String body) {
        ApiResponse response = send(HttpRequest.newBuilder(url("/decide/?v=3")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private static ApiResponse call(String method, String path, String key, String body) {
        HttpRequest.Builder request = request(method, path, body);
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return send(request);
    }

    private static HttpRequest.Builder request(String method, String path, String body) {
        HttpRequest.BodyPublisher publisher = body == null || method.equals("GET") || method.equals("DELETE")
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        return HttpRequest.newBuilder(url(path)).header("Content-Type", "application/json").method(method, publisher);
    }

    private static URI url(String path) {
        return URI.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + path);
    }

    private static ApiResponse send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new ApiResponse(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long insertPerson(long teamId, String... distinctIds) {
        try (Connection connection = TestingPostgres.connect(postgresUrl)) {
            long person;
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO person (uuid, team_id, created_at)"
                    + " VALUES (?, ?, now()) RETURNING id")) {
                insert.setObject(1, UUID.randomUUID());
                insert.setLong(2, teamId);
                try (ResultSet rs = insert.executeQuery()) {
                    rs.next();
                    person = rs.getLong(1);
                }
            }
            for (String distinctId : distinctIds) {
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO person_distinct_id (team_id, person_id, distinct_id) VALUES (?, ?, ?)")) {
                    insert.setLong(1, teamId);
                    insert.setLong(2, person);
                    insert.setString(3, distinctId);
                    insert.executeUpdate();
                }
            }
            return person;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(String sql, Object... parameters) {
        try (Connection connection = TestingPostgres.connect(postgresUrl);
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String queryString(String sql, long id) {
        try (Connection connection = TestingPostgres.connect(postgresUrl);
                PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, id);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
