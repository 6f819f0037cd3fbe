package dev.ingest.plugin.apps.js;

import static dev.ingest.plugin.apps.js.EventJson.event;
import static dev.ingest.plugin.apps.js.JsApps.app;
import static dev.ingest.plugin.testing.Events.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingest.plugin.apps.AppHooks;
import dev.ingest.plugin.apps.AppResult;
import dev.ingest.plugin.apps.WebhookRequest;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The hooks' contract, with real GraalJS. */
class JsAppTest {
    /** Deadlines never pass here ({@link ManualTimer}): a cold JVM runs JavaScript slowly, and that is no error. */
    private static final JsEngine ENGINE =
            new JsEngine(JsLimits.DEFAULTS.withTimeout(Duration.ofSeconds(1)), new ManualTimer());

    @AfterAll
    static void closeEngine() {
        ENGINE.close();
    }

    private static ObjectNode kept(AppResult result) {
        assertThat(result).isInstanceOf(AppResult.Keep.class);
        return ((AppResult.Keep) result).event();
    }

    @Test
    void processEventAddsAPropertyAndRenamesTheEvent() {
        try (JsApp app = app(ENGINE, """
                function processEvent(event, meta) {
                  event.properties.plan = event.properties.plan.toUpperCase();
                  event.properties.seen_by = meta.app;
                  event.event = 'renamed_' + event.event;
                  return event;
                }
                """)) {
            EventJson input = event("signed_up").property("plan", "pro").property("count", 3);
            ObjectNode result = kept(app.processEvent(input.build(), input.meta()));

            assertThat(result.get("event").asString()).isEqualTo("renamed_signed_up");
            assertThat(result.get("properties"))
                    .isEqualTo(json("{'plan':'PRO','count':3,'seen_by':'js'}"));
            assertThat(result.get("distinct_id").asString()).isEqualTo(EventJson.DISTINCT_ID);
        }
    }

    @Test
    void processEventDropsOnNullUndefinedOrFalse() {
        try (JsApp app = app(ENGINE, """
                function processEvent(event) {
                  if (event.event === 'null') return null;
                  if (event.event === 'false') return false;
                  if (event.event === 'undefined') return;
                  return event;
                }
                """)) {
            for (String name : new String[] {"null", "false", "undefined"}) {
                EventJson input = event(name);
                assertThat(app.processEvent(input.build(), input.meta())).as(name).isInstanceOf(AppResult.Drop.class);
            }
            EventJson kept = event("kept");
            assertThat(kept(app.processEvent(kept.build(), kept.meta())).get("event").asString()).isEqualTo("kept");
        }
    }

    @Test
    void asyncProcessEventIsAwaited() {
        try (JsApp app = app(ENGINE, """
                async function processEvent(event) {
                  await null;
                  event.properties.async = await Promise.resolve('yes');
                  return event;
                }
                """)) {
            EventJson input = event("e");
            assertThat(kept(app.processEvent(input.build(), input.meta())).get("properties"))
                    .isEqualTo(json("{'async':'yes'}"));
        }
    }

    @Test
    void aPromiseThatNeverSettlesIsAnError() {
        try (JsApp app = app(ENGINE, "function processEvent(event) { return new Promise(() => {}); }")) {
            EventJson input = event("e");
            assertThatThrownBy(() -> app.processEvent(input.build(), input.meta()))
                    .isInstanceOf(JsAppException.class)
                    .hasMessageContaining("never settled");
        }
    }

    @Test
    void aThrowCarriesTheJavaScriptErrorAndItsLine() {
        try (JsApp app = app(ENGINE, """
                function processEvent(event) {
                  if (event.properties.bad) {
                    throw new TypeError('bad event ' + event.event);
                  }
                  return event;
                }
                """)) {
            EventJson bad = event("e1").property("bad", "yes");
            assertThatThrownBy(() -> app.processEvent(bad.build(), bad.meta()))
                    .isInstanceOfSatisfying(JsAppException.class,
                            e -> assertThat(e.kind()).isEqualTo(JsAppException.Kind.THREW))
                    .hasMessage("js app processEvent threw: TypeError: bad event e1 (app.js:3)");

            EventJson good = event("e2");
            assertThat(kept(app.processEvent(good.build(), good.meta())).get("event").asString()).isEqualTo("e2");
            assertThat(app.contexts()).as("a throw leaves the context usable").isEqualTo(1);
        }
    }

    @Test
    void anEventWithoutPropertiesIsAnError() {
        try (JsApp app = app(ENGINE, """
                function processEvent(event) {
                  if (event.event === 'array') return [event];
                  if (event.event === 'string') return 'text';
                  delete event.properties;
                  return event;
                }
                """)) {
            for (String name : new String[] {"array", "string", "object"}) {
                EventJson input = event(name);
                assertThatThrownBy(() -> app.processEvent(input.build(), input.meta()))
                        .as(name)
                        .isInstanceOfSatisfying(JsAppException.class,
                                e -> assertThat(e.kind()).isEqualTo(JsAppException.Kind.BAD_RESULT))
                        .hasMessageContaining("must return the event");
            }
        }
    }

    @Test
    void metaCarriesTheConfigWithoutSourceAndTheEventsIdentity() {
        ObjectNode config = JsApps.config(
                "function processEvent(event, meta) { event.properties.meta = meta; return event; }");
        config.put("greeting", "hi");
        config.set("nested", json("{'a':[1,2]}"));
        try (JsApp app = JsApp.fromConfig(ENGINE, config)) {
            EventJson input = event("e").distinctId("someone");
            assertThat(kept(app.processEvent(input.build(), input.meta())).at("/properties/meta")).isEqualTo(json("""
                    {'config':{'greeting':'hi','nested':{'a':[1,2]}},'teamId':2,'app':'js',
                     'eventUuid':'0189a2b4-0000-7000-8000-000000000001','distinctId':'someone'}"""));
        }
    }

    @Test
    void eventAndMetaArePlainJsonObjects() {
        try (JsApp app = app(ENGINE, """
                function processEvent(event, meta) {
                  event.properties.plain = Object.getPrototypeOf(event) === Object.prototype
                      && Object.getPrototypeOf(meta) === Object.prototype
                      && Array.isArray(event.properties.list);
                  return event;
                }
                """)) {
            EventJson input = event("e").property("list", json("{'l':[1]}").get("l"));
            ObjectNode result = kept(app.processEvent(input.build(), input.meta()));
            assertThat(result.at("/properties/plain").asBoolean()).isTrue();
        }
    }

    @Test
    void composeWebhookStringifiesAnObjectBody() {
        ObjectNode config = JsApps.config("""
                function composeWebhook(event, meta) {
                  return {
                    url: 'https://hooks.example.com/' + meta.config.path,
                    method: 'put',
                    headers: { 'X-Team': String(meta.teamId), 'X-Count': 2 },
                    body: { event: event.event, who: event.distinct_id },
                  };
                }
                """);
        config.put("path", "in");
        try (JsApp app = JsApp.fromConfig(ENGINE, config)) {
            EventJson input = event("paid");
            assertThat(app.composeWebhook(input.build(), input.meta())).contains(new WebhookRequest("PUT",
                    URI.create("https://hooks.example.com/in"), Map.of("X-Team", "2", "X-Count", "2"),
                    "{\"event\":\"paid\",\"who\":\"user-1\"}"));
        }
    }

    @Test
    void composeWebhookKeepsAStringBodyAndDefaultsToPost() {
        try (JsApp app = app(ENGINE, """
                function composeWebhook(event) {
                  return { url: 'http://example.com/x?e=' + encodeURIComponent(event.event), body: 'plain text' };
                }
                """)) {
            EventJson input = event("a b");
            assertThat(app.composeWebhook(input.build(), input.meta())).contains(
                    WebhookRequest.post(URI.create("http://example.com/x?e=a%20b"), Map.of(), "plain text"));
        }
    }

    @Test
    void composeWebhookReturningNullSkipsTheEvent() {
        try (JsApp app = app(ENGINE, """
                function composeWebhook(event) {
                  return event.event === 'wanted' ? { url: 'https://example.com' } : null;
                }
                """)) {
            EventJson skipped = event("other");
            assertThat(app.composeWebhook(skipped.build(), skipped.meta())).isEmpty();
            EventJson wanted = event("wanted");
            assertThat(app.composeWebhook(wanted.build(), wanted.meta()))
                    .contains(WebhookRequest.post(URI.create("https://example.com"), Map.of(), null));
        }
    }

    @Test
    void composeWebhookWithABadRequestIsAnError() {
        try (JsApp app = app(ENGINE, """
                function composeWebhook(event) {
                  switch (event.event) {
                    case 'scheme': return { url: 'ftp://example.com/file' };
                    case 'relative': return { url: '/just/a/path' };
                    case 'syntax': return { url: 'http://exa mple.com' };
                    case 'missing': return { body: 'x' };
                    case 'method': return { url: 'https://example.com', method: 'TRACE' };
                    case 'header': return { url: 'https://example.com', headers: { Host: 'internal' } };
                  }
                }
                """)) {
            Map<String, String> expected = Map.of("scheme", "url must be an absolute http(s) URL",
                    "relative", "url must be an absolute http(s) URL", "syntax", "invalid request",
                    "missing", "must return a url string", "method", "method must be one of",
                    "header", "may not set the Host header");
            expected.forEach((name, message) -> {
                EventJson input = event(name);
                assertThatThrownBy(() -> app.composeWebhook(input.build(), input.meta()))
                        .as(name)
                        .isInstanceOfSatisfying(JsAppException.class,
                                e -> assertThat(e.kind()).isEqualTo(JsAppException.Kind.BAD_RESULT))
                        .hasMessageContaining(message);
            });
        }
    }

    @Test
    void onEventRunsAndAThrowFailsIt() {
        try (JsApp app = app(ENGINE, """
                async function onEvent(event, meta) {
                  if (event.event === 'reject') {
                    await null;
                    throw new Error('remote said no');
                  }
                  if (event.event === 'throw') {
                    null.boom;
                  }
                  return 'ignored';
                }
                """)) {
            EventJson ok = event("fine");
            app.onEvent(ok.build(), ok.meta());

            EventJson rejects = event("reject");
            assertThatThrownBy(() -> app.onEvent(rejects.build(), rejects.meta()))
                    .isInstanceOf(JsAppException.class)
                    .hasMessage("js app onEvent threw: Error: remote said no (app.js:4)");
            EventJson throwsNow = event("throw");
            assertThatThrownBy(() -> app.onEvent(throwsNow.build(), throwsNow.meta()))
                    .isInstanceOf(JsAppException.class)
                    .hasMessageStartingWith("js app onEvent threw: TypeError: Cannot read property 'boom' of null");
        }
    }

    @Test
    void hooksAreTheFunctionsTheScriptDefines() {
        try (JsApp app = app(ENGINE, """
                function composeWebhook(event) { return null; }
                const onEvent = (event) => {};
                var helper = function () {};
                """)) {
            assertThat(app.hasProcessEvent()).isFalse();
            assertThat(app.hasComposeWebhook()).isTrue();
            assertThat(app.hasOnEvent()).as("a top-level const counts").isTrue();
            AppHooks hooks = app.hooks();
            assertThat(hooks.processEvent()).isNull();
            assertThat(hooks.composeWebhook()).isSameAs(app);
            assertThat(hooks.onEvent()).isSameAs(app);
            assertThat(hooks.resources()).isSameAs(app);
            assertThat(hooks.isDestination()).isTrue();
        }
    }

    @Test
    void anInvalidScriptIsAnInvalidConfig() {
        assertThatThrownBy(() -> app(ENGINE, "function processEvent(event {"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("js app script threw: SyntaxError: app.js:1:");
        assertThatThrownBy(() -> app(ENGINE, "throw new Error('not configured');\nfunction processEvent(e) {}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("js app script threw: Error: not configured (app.js:1)");
        assertThatThrownBy(() -> app(ENGINE, "const x = 1;"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("defines none of processEvent, composeWebhook, onEvent");
        assertThatThrownBy(() -> JsApp.fromConfig(ENGINE, json("{'source':42}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("config.source must be a string");
        String slow = "{'source':'function processEvent(e) {}','timeoutMs':5000}";
        assertThatThrownBy(() -> JsApp.fromConfig(ENGINE, json(slow)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeoutMs must be an integer from 1 to 1000");
    }

    @Test
    void theAppsTimeoutComesFromItsConfig() {
        try (JsApp app = app(ENGINE, "function processEvent(e) { return e; }", 50)) {
            assertThat(app.limits().timeout()).isEqualTo(Duration.ofMillis(50));
        }
        try (JsApp app = app(ENGINE, "function processEvent(e) { return e; }")) {
            assertThat(app.limits().timeout()).isEqualTo(Duration.ofSeconds(1));
        }
    }

    @Test
    void aClosedAppRefusesCalls() {
        JsApp app = app(ENGINE, "function processEvent(e) { return e; }");
        app.close();
        EventJson input = event("e");
        assertThatThrownBy(() -> app.processEvent(input.build(), input.meta()))
                .isInstanceOfSatisfying(JsAppException.class,
                        e -> assertThat(e.kind()).isEqualTo(JsAppException.Kind.CLOSED));
    }

    /** The two examples of the README, verbatim. */
    @Test
    void theReadmeExamplesWork() {
        ObjectNode processConfig = JsApps.config("""
                function processEvent(event, meta) {
                  if ((event.properties.$current_url || '').includes('://internal.')) {
                    return null; // dropped
                  }
                  if (event.event === 'signup') {
                    event.event = 'signed_up';
                  }
                  event.properties.plan_tier = meta.config.tiers?.[event.properties.plan] ?? 'unknown';
                  return event;
                }
                """);
        processConfig.set("tiers", json("{'pro':'paid'}"));
        try (JsApp app = JsApp.fromConfig(ENGINE, processConfig)) {
            EventJson signup = event("signup").property("plan", "pro");
            ObjectNode result = kept(app.processEvent(signup.build(), signup.meta()));
            assertThat(result.get("event").asString()).isEqualTo("signed_up");
            assertThat(result.at("/properties/plan_tier").asString()).isEqualTo("paid");
            EventJson internal = event("x").property("$current_url", "https://internal.example.com/");
            assertThat(app.processEvent(internal.build(), internal.meta())).isInstanceOf(AppResult.Drop.class);
        }
        ObjectNode webhookConfig = JsApps.config("""
                async function composeWebhook(event, meta) {
                  if (event.event !== 'paid') {
                    return null; // skipped
                  }
                  return {
                    url: meta.config.webhookUrl,
                    headers: { Authorization: `Bearer ${meta.config.token}` },
                    body: { text: `${event.person?.properties?.email ?? event.distinct_id} paid ${event.properties.amount}` },
                  };
                }
                """);
        webhookConfig.put("webhookUrl", "https://chat.example.com/hook");
        webhookConfig.put("token", "t0k");
        try (JsApp app = JsApp.fromConfig(ENGINE, webhookConfig)) {
            EventJson paid = event("paid").property("amount", 30);
            assertThat(app.composeWebhook(paid.build(), paid.meta())).contains(WebhookRequest.post(
                    URI.create("https://chat.example.com/hook"), Map.of("Authorization", "Bearer t0k"),
                    "{\"text\":\"user-1 paid 30\"}"));
            EventJson other = event("viewed");
            assertThat(app.composeWebhook(other.build(), other.meta())).isEmpty();
        }
    }
}
