package dev.ingest.decide.api;

import static dev.ingest.decide.api.ApiExceptions.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.app.AppConfigRules;
import dev.ingest.common.json.Json;
import dev.ingest.decide.store.AppConfigDraft;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class AppInputTest {

    private static ObjectNode body(String json) {
        return (ObjectNode) Json.read(json);
    }

    private static AppConfigDraft create(String json) {
        return AppInput.forCreate(body(json));
    }

    private static AppConfigDraft customerIo(String apiKey) {
        ObjectNode config = Json.object();
        config.put("siteId", "site-1");
        config.put("apiKey", apiKey);
        return new AppConfigDraft("customerio", config, 3, true);
    }

    // --- create

    @Test
    void readsAFullApp() {
        AppConfigDraft draft = create("{\"app\":\"property-flattener\",\"config\":{\"separator\":\"__\"},"
                + "\"position\":-2,\"enabled\":false}");

        assertThat(draft).isEqualTo(new AppConfigDraft("property-flattener", Json.read("{\"separator\":\"__\"}"),
                -2, false));
    }

    @Test
    void configPositionAndEnabledHaveDefaults() {
        assertThat(create("{\"app\":\"geoip\"}")).isEqualTo(new AppConfigDraft("geoip", Json.object(), 0, true));
    }

    @Test
    void acceptsEveryAppWithAMinimalValidConfig() {
        assertThat(create("{\"app\":\"geoip\",\"config\":{}}").app()).isEqualTo("geoip");
        assertThat(create("{\"app\":\"property-flattener\",\"config\":{}}").app()).isEqualTo("property-flattener");
        assertThat(create("{\"app\":\"event-filter\",\"config\":{\"events\":[\"$pageleave\"]}}").app())
                .isEqualTo("event-filter");
        assertThat(create("{\"app\":\"webhook\",\"config\":{\"url\":\"https://hooks.example.com/x?a=1\"}}").app())
                .isEqualTo("webhook");
        assertThat(create("{\"app\":\"customerio\",\"config\":{\"siteId\":\"s\",\"apiKey\":\"k\"}}").app())
                .isEqualTo("customerio");
        assertThat(create("{\"app\":\"js\",\"config\":{\"source\":\"function processEvent(e) { return e }\"}}").app())
                .isEqualTo("js");
    }

    @Test
    void anUnknownOrMissingAppIsRefusedNamingTheApps() {
        for (String json : new String[] {"{\"app\":\"gepip\"}", "{\"app\":\"GeoIP\"}", "{}", "{\"app\":null}",
                "{\"app\":\"\"}"}) {
            assertInvalid(() -> create(json), "app").hasMessageContaining(
                    "geoip, property-flattener, event-filter, webhook, customerio, js");
        }
        assertInvalid(() -> create("{\"app\":5}"), "app");
    }

    @Test
    void theConfigMustBeAnObjectOfAtMost256KiB() {
        for (String config : new String[] {"null", "[]", "\"{}\"", "1"}) {
            assertInvalid(() -> create("{\"app\":\"geoip\",\"config\":" + config + "}"), "config");
        }
        String big = "x".repeat(AppConfigRules.MAX_CONFIG_BYTES);
        assertInvalid(() -> create("{\"app\":\"geoip\",\"config\":{\"padding\":\"" + big + "\"}}"), "config")
                .hasMessageContaining("at most 262144");
        String fits = "x".repeat(AppConfigRules.MAX_CONFIG_BYTES - "{\"padding\":\"\"}".length());
        assertThat(create("{\"app\":\"geoip\",\"config\":{\"padding\":\"" + fits + "\"}}").app()).isEqualTo("geoip");
    }

    @Test
    void positionIsAnInteger() {
        for (String position : new String[] {"1.5", "\"1\"", "null", "true", "2147483648"}) {
            assertInvalid(() -> create("{\"app\":\"geoip\",\"position\":" + position + "}"), "position");
        }
        assertThat(create("{\"app\":\"geoip\",\"position\":2147483647}").position()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void enabledIsABoolean() {
        assertInvalid(() -> create("{\"app\":\"geoip\",\"enabled\":\"maybe\"}"), "enabled");
        assertInvalid(() -> create("{\"app\":\"geoip\",\"enabled\":null}"), "enabled");
    }

    @Test
    void aWebhookNeedsAnAbsoluteHttpUrl() {
        for (String url : new String[] {"null", "\"\"", "\"/relative\"", "\"example.com/hook\"", "\"ftp://example.com/\"",
                "\"javascript:alert(1)\"", "\"http:///no-host\"", "\"https://exa mple.com/\"", "7"}) {
            assertInvalid(() -> create("{\"app\":\"webhook\",\"config\":{\"url\":" + url + "}}"), "config")
                    .hasMessageContaining("config.url");
        }
        assertInvalid(() -> create("{\"app\":\"webhook\",\"config\":{}}"), "config").hasMessageContaining("config.url");
        assertThat(create("{\"app\":\"webhook\",\"config\":{\"url\":\"HTTP://127.0.0.1:8080/hook\"}}").app())
                .isEqualTo("webhook");
    }

    @Test
    void aWebhooksOptionalKeysAreChecked() {
        String url = "\"url\":\"https://example.com/\"";
        assertThat(create("{\"app\":\"webhook\",\"config\":{" + url + ",\"method\":\"put\",\"headers\":"
                + "{\"Authorization\":\"Bearer x\"},\"events\":[\"signed_up\"],\"template\":{\"text\":\"{{event}}\"}}}")
                .config().get("method").asString()).isEqualTo("put");
        assertInvalid(() -> create("{\"app\":\"webhook\",\"config\":{" + url + ",\"method\":\"GET\"}}"), "config")
                .hasMessageContaining("config.method");
        assertInvalid(() -> create("{\"app\":\"webhook\",\"config\":{" + url + ",\"headers\":{\"X\":1}}}"), "config")
                .hasMessageContaining("config.headers");
        assertInvalid(() -> create("{\"app\":\"webhook\",\"config\":{" + url + ",\"headers\":[]}}"), "config");
        assertInvalid(() -> create("{\"app\":\"webhook\",\"config\":{" + url + ",\"events\":\"$pageview\"}}"),
                "config").hasMessageContaining("config.events");
    }

    @Test
    void customerIoNeedsASiteIdAndAnApiKey() {
        for (String config : new String[] {"{}", "{\"siteId\":\"s\"}", "{\"apiKey\":\"k\"}",
                "{\"siteId\":\"\",\"apiKey\":\"k\"}", "{\"siteId\":\"s\",\"apiKey\":\"  \"}",
                "{\"siteId\":1,\"apiKey\":\"k\"}", "{\"siteId\":\"s\",\"apiKey\":null}"}) {
            assertInvalid(() -> create("{\"app\":\"customerio\",\"config\":" + config + "}"), "config");
        }
        String keys = "\"siteId\":\"s\",\"apiKey\":\"k\"";
        assertInvalid(() -> create("{\"app\":\"customerio\",\"config\":{" + keys + ",\"host\":\"track.customer.io\"}}"),
                "config").hasMessageContaining("config.host");
        assertInvalid(() -> create("{\"app\":\"customerio\",\"config\":{" + keys + ",\"identifyBy\":\"id\"}}"), "config")
                .hasMessageContaining("config.identifyBy");
        assertThat(create("{\"app\":\"customerio\",\"config\":{" + keys + ",\"host\":\"https://track-eu.customer.io\","
                + "\"identifyBy\":\"email\",\"events\":[\"$identify\"]}}").app()).isEqualTo("customerio");
    }

    @Test
    void aMaskedApiKeyIsNeverStoredAsTheKey() {
        assertInvalid(() -> create("{\"app\":\"customerio\",\"config\":{\"siteId\":\"s\",\"apiKey\":\"********abcd\"}}"),
                "config").hasMessageContaining("masked");
    }

    @Test
    void jsNeedsASourceOfAtMost256KiBAndIsNotCompiledHere() {
        for (String config : new String[] {"{}", "{\"source\":\"\"}", "{\"source\":\" \\n \"}", "{\"source\":[]}"}) {
            assertInvalid(() -> create("{\"app\":\"js\",\"config\":" + config + "}"), "config")
                    .hasMessageContaining("config.source");
        }
        assertThat(create("{\"app\":\"js\",\"config\":{\"source\":\"this is not ( valid JavaScript\"}}").app())
                .isEqualTo("js");
        ObjectNode config = Json.object();
        config.put("source", "é".repeat(AppConfigRules.MAX_SOURCE_BYTES / 2 + 1));
        ObjectNode tooLong = Json.object();
        tooLong.put("app", "js");
        tooLong.set("config", config);
        assertInvalid(() -> AppInput.forCreate(tooLong), "config").hasMessageContaining("config.source is 262146 bytes");
    }

    @Test
    void thePropertyFlattenersSeparatorIsOneToTenCharacters() {
        assertInvalid(() -> create("{\"app\":\"property-flattener\",\"config\":{\"separator\":\"\"}}"), "config");
        assertInvalid(() -> create("{\"app\":\"property-flattener\",\"config\":{\"separator\":\"12345678901\"}}"),
                "config");
        assertInvalid(() -> create("{\"app\":\"property-flattener\",\"config\":{\"separator\":1}}"), "config");
        assertInvalid(() -> create("{\"app\":\"property-flattener\",\"config\":{\"keep_original\":\"yes\"}}"), "config");
    }

    @Test
    void theEventFilterNeedsACriterionOfAKnownShape() {
        for (String config : new String[] {"{}", "{\"events\":[]}", "{\"mode\":\"drop\"}",
                "{\"events\":[\"a\"],\"mode\":\"skip\"}", "{\"events\":[\"a\"],\"match\":\"some\"}",
                "{\"events\":\"a\"}", "{\"events\":[1]}", "{\"properties\":{}}", "{\"properties\":[{\"value\":1}]}",
                "{\"properties\":[{\"key\":\"a\",\"operator\":\"gt\",\"value\":1}]}"}) {
            assertInvalid(() -> create("{\"app\":\"event-filter\",\"config\":" + config + "}"), "config");
        }
        assertThat(create("{\"app\":\"event-filter\",\"config\":{\"mode\":\"keep\",\"match\":\"any\","
                + "\"properties\":[{\"key\":\"$current_url\",\"operator\":\"ICONTAINS\",\"value\":\"shop\"},"
                + "{\"key\":\"plan\",\"operator\":\"is_set\"}]}}").app()).isEqualTo("event-filter");
    }

    // --- patch

    @Test
    void aPatchReplacesOnlyTheFieldsItSets() {
        AppConfigDraft current = new AppConfigDraft("property-flattener", Json.read("{\"separator\":\"__\"}"), 1, true);

        assertThat(AppInput.forPatch(current, body("{}"))).isEqualTo(current);
        assertThat(AppInput.forPatch(current, body("{\"enabled\":false,\"position\":9}")))
                .isEqualTo(new AppConfigDraft("property-flattener", current.config(), 9, false));
        assertThat(AppInput.forPatch(current, body("{\"config\":{\"separator\":\".\"}}")).config())
                .isEqualTo(Json.read("{\"separator\":\".\"}"));
    }

    @Test
    void aPatchCannotTurnAnAppIntoAnother() {
        AppConfigDraft current = new AppConfigDraft("geoip", Json.object(), 0, true);

        assertThat(AppInput.forPatch(current, body("{\"app\":\"geoip\"}"))).isEqualTo(current);
        assertInvalid(() -> AppInput.forPatch(current, body("{\"app\":\"js\"}")), "app");
        assertInvalid(() -> AppInput.forPatch(current, body("{\"app\":\"nope\"}")), "app");
    }

    @Test
    void aPatchChecksTheNewConfigButNotAStoredOneItLeavesAlone() {
        AppConfigDraft broken = new AppConfigDraft("webhook", Json.read("{\"url\":\"not a url\"}"), 0, true);

        assertThat(AppInput.forPatch(broken, body("{\"enabled\":false}")).enabled()).isFalse();
        assertInvalid(() -> AppInput.forPatch(broken, body("{\"config\":{\"url\":\"nope\"}}")), "config");
        assertThat(AppInput.forPatch(broken, body("{\"config\":{\"url\":\"https://example.com\"}}")).config()
                .get("url").asString()).isEqualTo("https://example.com");
    }

    @Test
    void aPatchWithoutTheApiKeyKeepsTheStoredOne() {
        AppConfigDraft current = customerIo("0123456789abcdefWXYZ");

        AppConfigDraft patched = AppInput.forPatch(current, body("{\"config\":{\"siteId\":\"site-2\"}}"));

        assertThat(patched.config()).isEqualTo(Json.read("{\"siteId\":\"site-2\",\"apiKey\":\"0123456789abcdefWXYZ\"}"));
    }

    @Test
    void aPatchSendingBackTheMaskKeepsTheStoredKey() {
        AppConfigDraft current = customerIo("0123456789abcdefWXYZ");

        AppConfigDraft patched = AppInput.forPatch(current,
                body("{\"config\":{\"siteId\":\"site-1\",\"apiKey\":\"********WXYZ\",\"identifyBy\":\"email\"}}"));

        assertThat(patched.config().get("apiKey").asString()).isEqualTo("0123456789abcdefWXYZ");
        assertThat(patched.config().get("identifyBy").asString()).isEqualTo("email");
    }

    @Test
    void aPatchWithANewApiKeyReplacesIt() {
        AppConfigDraft current = customerIo("0123456789abcdefWXYZ");

        assertThat(AppInput.forPatch(current, body("{\"config\":{\"siteId\":\"s\",\"apiKey\":\"new-key\"}}")).config()
                .get("apiKey").asString()).isEqualTo("new-key");
        assertInvalid(() -> AppInput.forPatch(current, body("{\"config\":{\"siteId\":\"s\",\"apiKey\":\"\"}}")), "config");
        assertInvalid(() -> AppInput.forPatch(current, body("{\"config\":{\"siteId\":\"s\",\"apiKey\":\"********ABCD\"}}")),
                "config").hasMessageContaining("masked");
    }
}
