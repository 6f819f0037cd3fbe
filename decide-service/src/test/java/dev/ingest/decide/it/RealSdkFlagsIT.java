package dev.ingest.decide.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.ingest.common.json.Json;
import dev.ingest.common.testing.NodeScripts;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The real SDKs against decide-service: posthog-node gets the same answers by remote evaluation and by local
 * evaluation for hundreds of users, and posthog-js in headless Chromium loads flags and answers
 * isFeatureEnabled / getFeatureFlag / getFeatureFlagPayload as the service does.
 */
class RealSdkFlagsIT {
    private static final int USERS = 300;
    private static TestingDecide decide;
    private static TestingDecide.Project project;

    @BeforeAll
    static void flags() {
        decide = TestingDecide.get();
        project = decide.createProject();
        decide.createFlag(project.id(), "rollout-flag", "{'groups':[{'properties':[],'rollout_percentage':45}]}", false);
        decide.createFlag(project.id(), "pro-flag", "{'groups':[{'properties':[{'key':'plan','value':['pro'],'operator':'exact',"
                + "'type':'person'}],'rollout_percentage':100}]}", false);
        decide.createFlag(project.id(), "mv-flag", "{'groups':[{'properties':[{'key':'email','value':'corp.com','operator':'icontains',"
                + "'type':'person'}],'rollout_percentage':100},{'properties':[],'rollout_percentage':30}],"
                + "'multivariate':{'variants':[{'key':'control','rollout_percentage':50},{'key':'test','rollout_percentage':30},"
                + "{'key':'other','rollout_percentage':20}]},'payloads':{'control':'{\\\"c\\\":1}','test':'{\\\"t\\\":2}'}}", false);
        decide.createFlag(project.id(), "beta", "{'groups':[{'properties':[],'rollout_percentage':100}],'payloads':{'true':'{\\\"a\\\":1}'}}",
                false);
        decide.createFlag(project.id(), "off", "{'groups':[{'properties':[],'rollout_percentage':0}]}", false);
    }

    @Test
    void posthogNodeRemoteAndLocalEvaluationAgreeForHundredsOfUsers() throws Exception {
        String host = decide.url("").toString().replaceAll("/$", "");
        JsonNode remote = Json.read(NodeScripts.run("node-flags.cjs", host, project.token(), "remote", TestingDecide.BOOTSTRAP_KEY, USERS));
        JsonNode local = Json.read(NodeScripts.run("node-flags.cjs", host, project.token(), "local", TestingDecide.BOOTSTRAP_KEY, USERS));
        assertThat(remote.size()).isEqualTo(USERS);
        int rolloutOn = 0;
        for (int i = 0; i < USERS; i++) {
            String id = "sdk-user-" + i;
            assertThat(local.get(id)).as(id).isEqualTo(remote.get(id));
            assertThat(remote.get(id).get("property").asBoolean()).as("pro-flag of " + id).isEqualTo(i % 3 == 0);
            rolloutOn += remote.get(id).get("rollout").asBoolean() ? 1 : 0;
        }
        assertThat(rolloutOn).as("a 45% rollout").isBetween(USERS * 30 / 100, USERS * 60 / 100);
        assertThat(remote.get("sdk-user-1").get("variant").isString()).as("corp.com users all get a variant").isTrue();
    }

    @Test
    void posthogJsInHeadlessChromiumLoadsFlagsFromTheService() throws Exception {
        byte[] library = Files.readAllBytes(NodeScripts.nodeModules().resolve("posthog-js/dist/array.full.js"));
        String page = NodeScripts.read("flags-page.html").replace("__API_HOST__", decide.url("").toString().replaceAll("/$", ""))
                .replace("__TOKEN__", project.token()).replace("__DISTINCT_ID__", "browser-user");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            boolean js = exchange.getRequestURI().getPath().equals("/array.full.js");
            byte[] body = js ? library : page.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", js ? "application/javascript" : "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            JsonNode flags = Json.read(NodeScripts.run("browser-flags.cjs", "http://127.0.0.1:" + server.getAddress().getPort() + "/"));
            JsonNode expected = Json.read(decide.postJson("/flags/?v=2", "{\"token\":\"" + project.token()
                    + "\",\"distinct_id\":\"browser-user\"}").body()).get("flags");
            assertThat(flags.get("beta").asBoolean()).isTrue();
            assertThat(flags.get("off").asBoolean()).isFalse();
            assertThat(flags.get("payload").get("a").asInt()).isEqualTo(1);
            JsonNode variant = expected.get("mv-flag");
            if (variant.get("enabled").asBoolean()) {
                assertThat(flags.get("variant").asString()).isEqualTo(variant.get("variant").asString());
            } else {
                assertThat(flags.get("variant").asBoolean()).isFalse();
            }
        } finally {
            server.stop(0);
        }
    }
}
