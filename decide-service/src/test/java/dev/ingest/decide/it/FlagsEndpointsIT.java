package dev.ingest.decide.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import dev.ingest.common.testing.Poll;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** /decide, /flags, remote config and local-evaluation definitions against real PostgreSQL. */
class FlagsEndpointsIT {
    private static TestingDecide decide;
    private static TestingDecide.Project project;

    @BeforeAll
    static void start() {
        decide = TestingDecide.get();
        project = decide.createProject();
        // From PostHog's decide tests: beta at 100% with a payload, off at 0%.
        decide.createFlag(project.id(), "beta", "{'groups':[{'properties':[],'rollout_percentage':100}],'payloads':{'true':'{\\\"a\\\":1}'}}",
                false);
        decide.createFlag(project.id(), "off", "{'groups':[{'properties':[],'rollout_percentage':0}]}", false);
    }

    private JsonNode post(String path, String body) {
        HttpResponse<String> response = decide.postJson(path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.read(response.body());
    }

    private String body(String distinctId) {
        return "{\"token\":\"" + project.token() + "\",\"distinct_id\":\"" + distinctId + "\"}";
    }

    @Test
    void decideVersionsReturnPostHogsShapes() {
        assertThat(post("/decide/?v=1", body("u1")).get("featureFlags").toString()).isEqualTo("[\"beta\"]");
        assertThat(post("/decide/?v=2", body("u1")).get("featureFlags").toString()).isEqualTo("{\"beta\":true}");
        JsonNode v3 = post("/decide/?v=3", body("u1"));
        assertThat(v3.get("featureFlags").toString()).isEqualTo("{\"beta\":true,\"off\":false}");
        assertThat(v3.get("errorsWhileComputingFlags").asBoolean()).isFalse();
        assertThat(v3.get("featureFlagPayloads").get("beta").asString()).isEqualTo("{\"a\":1}");
        assertThat(post("/decide/?v=abc", body("u1")).get("featureFlags").toString()).as("unparseable v is v2")
                .isEqualTo("{\"beta\":true}");
        assertThat(v3.get("supportedCompression").toString()).contains("gzip-js");
    }

    @Test
    void flagsV2GivesTheDetailedMapWithPayloadsAsStored() {
        JsonNode v2 = post("/flags/?v=2", body("u2"));
        JsonNode beta = v2.get("flags").get("beta");
        assertThat(beta.get("enabled").asBoolean()).isTrue();
        assertThat(beta.get("reason").get("code").asString()).isEqualTo("condition_match");
        assertThat(beta.get("metadata").get("payload").isString()).isTrue();
        assertThat(beta.get("metadata").get("payload").asString()).isEqualTo("{\"a\":1}");
        assertThat(v2.get("flags").get("off").get("reason").get("code").asString()).isEqualTo("out_of_rollout_bound");
        assertThat(v2.has("requestId") && v2.has("evaluatedAt")).isTrue();
        assertThat(v2.has("config")).as("config only with config=true").isFalse();
        assertThat(post("/flags/?v=2&config=true", body("u2")).has("config")).isTrue();
        JsonNode legacy = post("/flags", body("u2"));
        assertThat(legacy.get("featureFlags").get("beta").asBoolean()).isTrue();
    }

    @Test
    void errorsArePostHogsJson() {
        HttpResponse<String> missingToken = decide.postJson("/decide/?v=3", "{\"distinct_id\":\"x\"}");
        assertThat(missingToken.statusCode()).isEqualTo(401);
        assertThat(Json.read(missingToken.body()).get("code").asString()).isEqualTo("no_api_key");
        HttpResponse<String> unknown = decide.postJson("/decide/?v=3", "{\"token\":\"phc_nobody\",\"distinct_id\":\"x\"}");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(Json.read(unknown.body()).get("code").asString()).isEqualTo("invalid_api_key");
        HttpResponse<String> noDistinctId = decide.postJson("/decide/?v=3", "{\"token\":\"" + project.token() + "\"}");
        assertThat(noDistinctId.statusCode()).isEqualTo(400);
        assertThat(Json.read(noDistinctId.body()).get("code").asString()).isEqualTo("missing_distinct_id");
        HttpResponse<String> garbage = decide.postJson("/flags/?v=2", "{not json");
        assertThat(garbage.statusCode()).isEqualTo(400);
    }

    @Test
    void acceptsGzipAndBase64FormBodiesAsPostHogJsSendsThem() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(body("u3").getBytes(StandardCharsets.UTF_8));
        }
        HttpResponse<String> gzipped = decide.send(HttpRequest.newBuilder(decide.url("/flags/?v=2"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofByteArray(bytes.toByteArray())));
        assertThat(gzipped.statusCode()).as(gzipped.body()).isEqualTo(200);
        String form = "data=" + URLEncoder.encode(Base64.getEncoder().encodeToString(body("u3").getBytes(StandardCharsets.UTF_8)),
                StandardCharsets.UTF_8);
        HttpResponse<String> based = decide.send(HttpRequest.newBuilder(decide.url("/flags/?v=2&compression=base64"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
        assertThat(based.statusCode()).as(based.body()).isEqualTo(200);
        assertThat(Json.read(based.body()).get("flags").get("beta").get("enabled").asBoolean()).isTrue();
    }

    @Test
    void personPropertiesComeFromPostgresAndTheRequestOverridesThem() {
        TestingDecide.Project own = decide.createProject();
        decide.createFlag(own.id(), "pro", "{'groups':[{'properties':[{'key':'plan','value':'pro','operator':'exact','type':'person'}]}]}", false);
        decide.createPerson(own.id(), "stored-pro", "{'plan':'pro'}");
        decide.createPerson(own.id(), "stored-free", "{'plan':'free'}");
        String token = own.token();
        assertThat(flag(token, "stored-pro", "", "pro")).isTrue();
        assertThat(flag(token, "stored-free", "", "pro")).isFalse();
        assertThat(flag(token, "stored-free", ",\"person_properties\":{\"plan\":\"pro\"}", "pro")).as("override").isTrue();
        assertThat(flag(token, "nobody", "", "pro")).isFalse();
    }

    @Test
    void groupFlagsReadGroupPropertiesAndNeedTheGroup() {
        TestingDecide.Project own = decide.createProject();
        decide.createGroup(own.id(), 0, "company", "acme", "{'size':500}");
        decide.createFlag(own.id(), "big-company", "{'aggregation_group_type_index':0,'groups':[{'properties':[{'key':'size',"
                + "'value':'100','operator':'gt','type':'group','group_type_index':0}],'rollout_percentage':100}]}", false);
        assertThat(flag(own.token(), "u", ",\"groups\":{\"company\":\"acme\"}", "big-company")).isTrue();
        assertThat(flag(own.token(), "u", "", "big-company")).as("no group in the request").isFalse();
        assertThat(flag(own.token(), "u", ",\"groups\":{\"company\":\"tiny\"},\"group_properties\":{\"company\":{\"size\":3}}",
                "big-company")).isFalse();
    }

    @Test
    void cohortsStaticAndDynamic() {
        TestingDecide.Project own = decide.createProject();
        long member = decide.createPerson(own.id(), "member", "{'email':'a@corp.com'}");
        decide.createPerson(own.id(), "outsider", "{'email':'b@gmail.com'}");
        long fixed = decide.createCohort(own.id(), "{}", true);
        decide.addToCohort(fixed, member);
        long corp = decide.createCohort(own.id(), "{'properties':{'type':'AND','values':[{'key':'email','value':'corp.com',"
                + "'operator':'icontains','type':'person'}]}}", false);
        decide.createFlag(own.id(), "static-cohort", "{'groups':[{'properties':[{'key':'id','value':" + fixed
                + ",'type':'cohort'}],'rollout_percentage':100}]}", false);
        decide.createFlag(own.id(), "dynamic-cohort", "{'groups':[{'properties':[{'key':'id','value':" + corp
                + ",'type':'cohort'}],'rollout_percentage':100}]}", false);
        assertThat(flag(own.token(), "member", "", "static-cohort")).isTrue();
        assertThat(flag(own.token(), "outsider", "", "static-cohort")).isFalse();
        assertThat(flag(own.token(), "member", "", "dynamic-cohort")).isTrue();
        assertThat(flag(own.token(), "outsider", "", "dynamic-cohort")).isFalse();
    }

    @Test
    void experienceContinuityKeepsTheAnonymousValueAfterIdentify() {
        TestingDecide.Project own = decide.createProject();
        decide.createFlag(own.id(), "sticky", "{'groups':[{'properties':[],'rollout_percentage':50}]}", true);
        long person = decide.createPerson(own.id(), "anon-42", "{}");
        // the plugin service adds the identified id to the same person
        decide.count("WITH x AS (INSERT INTO person_distinct_id (team_id, person_id, distinct_id) VALUES (?, ?, 'user-42')"
                + " RETURNING 1) SELECT count(*) FROM x", own.id(), person);
        boolean anonymous = flag(own.token(), "anon-42", "", "sticky");
        boolean identified = flag(own.token(), "user-42", ",\"$anon_distinct_id\":\"anon-42\"", "sticky");
        assertThat(identified).isEqualTo(anonymous);
        assertThat(decide.count("SELECT count(*) FROM feature_flag_hash_key_override WHERE team_id = ? AND hash_key = 'anon-42'",
                own.id())).isEqualTo(1);
        assertThat(flag(own.token(), "user-42", "", "sticky")).as("the override is stored").isEqualTo(anonymous);
    }

    @Test
    void aFlagChangeIsServedWithoutARestart() {
        TestingDecide.Project own = decide.createProject();
        long id = decide.createFlag(own.id(), "toggle", "{'groups':[{'properties':[],'rollout_percentage':0}]}", false);
        assertThat(flag(own.token(), "u", "", "toggle")).isFalse();
        decide.updateFlagFilters(id, "{'groups':[{'properties':[],'rollout_percentage':100}]}");
        // Definitions are re-read every 500 ms; the deadline only bounds the wait, it is no speed check.
        Poll.until(Duration.ofSeconds(30), () -> flag(own.token(), "u", "", "toggle"), on -> on, "the new rollout");
    }

    @Test
    void remoteConfigAndLocalEvaluationDefinitions() {
        HttpResponse<String> config = decide.send(HttpRequest.newBuilder(decide.url("/array/" + project.token() + "/config")).GET());
        assertThat(config.statusCode()).isEqualTo(200);
        assertThat(Json.read(config.body()).get("hasFeatureFlags").asBoolean()).isTrue();
        HttpResponse<String> script = decide.send(HttpRequest.newBuilder(decide.url("/array/" + project.token() + "/config.js")).GET());
        assertThat(script.body()).contains("_POSTHOG_REMOTE_CONFIG");

        String path = "/flags/definitions?token=" + project.token() + "&send_cohorts";
        assertThat(decide.send(HttpRequest.newBuilder(decide.url(path)).GET()).statusCode()).isEqualTo(401);
        HttpResponse<String> definitions = decide.send(HttpRequest.newBuilder(decide.url(path))
                .header("Authorization", "Bearer " + TestingDecide.BOOTSTRAP_KEY).GET());
        assertThat(definitions.statusCode()).as(definitions.body()).isEqualTo(200);
        JsonNode body = Json.read(definitions.body());
        assertThat(body.get("flags").size()).isEqualTo(2);
        assertThat(body.get("flags").get(0).get("filters").has("groups")).isTrue();
        String etag = definitions.headers().firstValue("ETag").orElseThrow();
        assertThat(decide.send(HttpRequest.newBuilder(decide.url(path)).header("Authorization", "Bearer " + TestingDecide.BOOTSTRAP_KEY)
                .header("If-None-Match", etag).GET()).statusCode()).isEqualTo(304);
        assertThat(decide.send(HttpRequest.newBuilder(decide.url("/api/feature_flag/local_evaluation?token=" + project.token()))
                .header("Authorization", "Bearer " + TestingDecide.BOOTSTRAP_KEY).GET()).statusCode()).isEqualTo(200);
    }

    @Test
    void theProjectsHeatmapsSwitchTellsPosthogJsWhetherToSendHeatmaps() {
        TestingDecide.Project own = decide.createProject();
        String request = "{\"token\":\"" + own.token() + "\",\"distinct_id\":\"u\"}";
        assertThat(heatmapsAnswered(own)).as("never chosen").containsOnly(false);

        HttpResponse<String> on = decide.send(HttpRequest.newBuilder(decide.url("/api/projects/" + own.id() + "/"))
                .header("Authorization", "Bearer " + TestingDecide.BOOTSTRAP_KEY).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"heatmaps_opt_in\":true}")));
        assertThat(on.statusCode()).as(on.body()).isEqualTo(200);
        assertThat(Json.read(on.body()).get("heatmaps_opt_in").asBoolean()).isTrue();
        // Answered at once by this process: the change drops the project's cached configuration.
        assertThat(heatmapsAnswered(own)).as("switched on").containsOnly(true);
        assertThat(post("/flags/?v=2", request).has("heatmaps")).as("no config without config=true").isFalse();

        decide.send(HttpRequest.newBuilder(decide.url("/api/projects/" + own.id() + "/"))
                .header("Authorization", "Bearer " + TestingDecide.BOOTSTRAP_KEY).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"heatmaps_opt_in\":false}")));
        assertThat(heatmapsAnswered(own)).as("switched off").containsOnly(false);
    }

    /** What /array/{token}/config, /flags?config=true and /decide say of heatmaps. */
    private Set<Boolean> heatmapsAnswered(TestingDecide.Project own) {
        String request = "{\"token\":\"" + own.token() + "\",\"distinct_id\":\"u\"}";
        Set<Boolean> answers = new HashSet<>();
        answers.add(Json.read(decide.send(HttpRequest.newBuilder(decide.url("/array/" + own.token() + "/config")).GET())
                .body()).get("heatmaps").asBoolean());
        answers.add(post("/flags/?v=2&config=true", request).get("heatmaps").asBoolean());
        answers.add(post("/decide/?v=4", request).get("heatmaps").asBoolean());
        return answers;
    }

    @Test
    void payloadsAreTheStoredStringsInEveryShape() {
        TestingDecide.Project own = decide.createProject();
        decide.createFlag(own.id(), "text", "{'groups':[{'rollout_percentage':100}],'payloads':{'true':'\\\"hello\\\"'}}", false);
        decide.createFlag(own.id(), "number", "{'groups':[{'rollout_percentage':100}],'payloads':{'true':'42'}}", false);
        String request = "{\"token\":\"" + own.token() + "\",\"distinct_id\":\"u\"}";
        JsonNode v2 = post("/flags/?v=2", request).get("flags");
        assertThat(v2.get("text").get("metadata").get("payload").asString()).isEqualTo("\"hello\"");
        assertThat(v2.get("number").get("metadata").get("payload").isString()).isTrue();
        assertThat(v2.get("number").get("metadata").get("payload").asString()).isEqualTo("42");
        JsonNode v4 = post("/decide/?v=4", request);
        assertThat(v4.get("flags").get("text").get("metadata").get("payload").asString()).isEqualTo("\"hello\"");
        assertThat(v4.get("featureFlagPayloads").get("text").asString()).isEqualTo("\"hello\"");
        assertThat(post("/flags", request).get("featureFlagPayloads").get("number").asString()).isEqualTo("42");
    }

    @Test
    void flagDependenciesFollowTheFlagTheyNameAndAMissingOneIsSaid() {
        TestingDecide.Project own = decide.createProject();
        long parent = decide.createFlag(own.id(), "parent", "{'groups':[{'properties':[{'key':'plan','value':'pro',"
                + "'operator':'exact','type':'person'}],'rollout_percentage':100}]}", false);
        decide.createFlag(own.id(), "child", "{'groups':[{'properties':[{'key':'" + parent + "','type':'flag',"
                + "'operator':'flag_evaluates_to','value':true}],'rollout_percentage':100}]}", false);
        decide.createFlag(own.id(), "orphan", "{'groups':[{'properties':[{'key':'999999999','type':'flag',"
                + "'operator':'flag_evaluates_to','value':true}],'rollout_percentage':100}]}", false);
        assertThat(flag(own.token(), "u", ",\"person_properties\":{\"plan\":\"pro\"}", "child")).isTrue();
        assertThat(flag(own.token(), "u", ",\"person_properties\":{\"plan\":\"free\"}", "child")).isFalse();
        JsonNode orphan = post("/flags/?v=2", "{\"token\":\"" + own.token() + "\",\"distinct_id\":\"u\"}").get("flags")
                .get("orphan");
        assertThat(orphan.get("enabled").asBoolean()).isFalse();
        assertThat(orphan.get("reason").get("code").asString()).isEqualTo("missing_dependency");

        JsonNode definitions = Json.read(decide.send(HttpRequest.newBuilder(decide.url("/flags/definitions?token=" + own.token()))
                .header("Authorization", "Bearer " + TestingDecide.BOOTSTRAP_KEY).GET()).body());
        JsonNode child = null;
        for (JsonNode definition : definitions.get("flags")) {
            if (definition.get("key").asString().equals("child")) {
                child = definition;
            }
        }
        assertThat(child).isNotNull();
        JsonNode dependency = child.get("filters").get("groups").get(0).get("properties").get(0);
        assertThat(dependency.get("key").asString()).isEqualTo("parent");
        assertThat(dependency.get("dependency_chain").toString()).isEqualTo("[\"parent\"]");
        assertThat(definitions.get("property_matching_version").asInt()).isEqualTo(1);
    }

    @Test
    void flagsAreServedToTheirRuntimeAndEnvironments() {
        TestingDecide.Project own = decide.createProject();
        long serverOnly = decide.createFlag(own.id(), "server-only", "{'groups':[{'rollout_percentage':100}]}", false);
        decide.setFlagEnvironments(serverOnly, "server");
        long web = decide.createFlag(own.id(), "web-only", "{'groups':[{'rollout_percentage':100}]}", false);
        decide.setFlagEnvironments(web, "all", "web");
        decide.createFlag(own.id(), "everywhere", "{'groups':[{'rollout_percentage':100}]}", false);
        Poll.until(Duration.ofSeconds(5), () -> served(own.token(), "", "posthog-node/5.70.0"),
                keys -> keys.contains("server-only"), "the environments read");

        assertThat(served(own.token(), "", "posthog-node/5.70.0")).contains("server-only", "web-only", "everywhere");
        assertThat(served(own.token(), "", "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0")).doesNotContain("server-only")
                .contains("everywhere");
        assertThat(served(own.token(), "", "Java-http-client/25")).as("unknown runtime").doesNotContain("server-only");
        assertThat(served(own.token(), ",\"evaluation_runtime\":\"server\"", "Java-http-client/25")).contains("server-only");
        assertThat(served(own.token(), ",\"evaluation_contexts\":[\"web\"]", "posthog-node/5")).contains("web-only");
        assertThat(served(own.token(), ",\"evaluation_contexts\":[\"mobile\"]", "posthog-node/5")).doesNotContain("web-only")
                .contains("everywhere");
        assertThat(served(own.token(), ",\"evaluation_environments\":[\"mobile\"]", "posthog-node/5"))
                .doesNotContain("web-only");
    }

    @Test
    void personMetadataFiltersReadThePersonsCreatedAt() {
        TestingDecide.Project own = decide.createProject();
        decide.createPerson(own.id(), "new-person", "{}");
        decide.createFlag(own.id(), "new-people", "{'groups':[{'properties':[{'key':'created_at','type':'person_metadata',"
                + "'operator':'is_date_after','value':'-1d'}],'rollout_percentage':100}]}", false);
        decide.createFlag(own.id(), "old-people", "{'groups':[{'properties':[{'key':'created_at','type':'person_metadata',"
                + "'operator':'is_date_before','value':'-1d'}],'rollout_percentage':100}]}", false);
        assertThat(flag(own.token(), "new-person", "", "new-people")).isTrue();
        assertThat(flag(own.token(), "new-person", "", "old-people")).isFalse();
        assertThat(flag(own.token(), "new-person", ",\"person_properties\":{\"created_at\":\"2001-01-01\"}", "new-people"))
                .as("a property of the same name is not the person's created_at").isTrue();
        assertThat(flag(own.token(), "nobody", "", "new-people")).isFalse();
    }

    /** The keys of the flags /flags serves to this request. */
    private Set<String> served(String token, String extra, String userAgent) {
        HttpResponse<String> response = decide.send(HttpRequest.newBuilder(decide.url("/flags/?v=2"))
                .header("Content-Type", "application/json").header("User-Agent", userAgent)
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\",\"distinct_id\":\"u\"" + extra + "}")));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Set<String> keys = new TreeSet<>();
        Json.read(response.body()).get("flags").propertyNames().forEach(keys::add);
        return keys;
    }

    private boolean flag(String token, String distinctId, String extra, String key) {
        JsonNode response = post("/flags/?v=2", "{\"token\":\"" + token + "\",\"distinct_id\":\"" + distinctId + "\"" + extra + "}");
        JsonNode flag = response.get("flags").get(key);
        assertThat(flag).as("flag %s in %s", key, response).isNotNull();
        return flag.get("enabled").asBoolean();
    }
}
