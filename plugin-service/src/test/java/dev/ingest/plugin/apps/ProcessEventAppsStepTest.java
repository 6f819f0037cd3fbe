package dev.ingest.plugin.apps;

import static dev.ingest.plugin.testing.Events.event;
import static dev.ingest.plugin.testing.Events.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.plugin.apps.geoip.GeoIpApp;
import dev.ingest.plugin.ingestion.pipeline.EventContext;
import dev.ingest.plugin.ingestion.pipeline.PipelineStage;
import dev.ingest.plugin.ingestion.pipeline.StepResult;
import dev.ingest.plugin.ingestion.warning.IngestionWarnings;
import dev.ingest.plugin.testing.Events;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ProcessEventAppsStepTest {
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final Map<Long, List<AppConfig>> configs = new ConcurrentHashMap<>();
    private final List<String> calls = new ArrayList<>();

    /** Built-ins plus test apps: "tag" adds a property, "boom" throws, "mangle" edits then throws, "nothing" returns null. */
    private final BuiltInApps apps = new BuiltInApps(new GeoIpApp(null, null)) {
        @Override
        public AppHooks create(String app, JsonNode config, Consumer<String> onDisabled) {
            EventTransformer test = switch (app) {
                case "tag" -> (event, meta) -> {
                    calls.add("tag:" + config.path("value").asString());
                    ((ObjectNode) event.get("properties")).put("tag", config.path("value").asString());
                    return AppResult.keep(event);
                };
                case "boom" -> (event, meta) -> {
                    calls.add("boom");
                    throw new IllegalStateException("kaboom");
                };
                case "mangle" -> (event, meta) -> {
                    ((ObjectNode) event.get("properties")).removeAll().put("mangled", true);
                    event.put("event", "mangled");
                    throw new IllegalStateException("half way");
                };
                case "unset-properties" -> (event, meta) -> {
                    event.remove("properties");
                    return AppResult.keep(event);
                };
                case "nothing" -> (event, meta) -> null;
                default -> null;
            };
            return test != null ? AppHooks.processEvent(test) : super.create(app, config, onDisabled);
        }
    };
    private final ProcessEventAppsStep step = new ProcessEventAppsStep(
            new AppRegistry(team -> configs.getOrDefault(team, List.of()), apps, Duration.ZERO),
            new IngestionWarnings(Clock.fixed(Instant.parse("2020-08-12T01:02:00Z"), ZoneOffset.UTC), metrics), metrics);

    private void configure(String... appAndConfig) {
        List<AppConfig> list = new ArrayList<>();
        for (int i = 0; i < appAndConfig.length; i += 2) {
            list.add(new AppConfig(i + 1, Events.TEAM_ID, appAndConfig[i], json(appAndConfig[i + 1]), i));
        }
        configs.put(Events.TEAM_ID, list);
    }

    @Test
    void stageIsProcessEventApps() {
        assertThat(step.stage()).isEqualTo(PipelineStage.PROCESS_EVENT_APPS);
    }

    @Test
    void withoutAppsTheContextAndEventAreUnchanged() {
        EventContext context = event("$pageview").properties("{'a':{'b':1}}").build();
        ObjectNode before = context.data().deepCopy();

        StepResult<EventContext> result = step.apply(context);

        assertThat(result).isEqualTo(StepResult.ok(context));
        assertThat(context.data()).isEqualTo(before);
        assertThat(context.effects()).isEmpty();
    }

    @Test
    void appsTransformInOrderAndTheContextDataIsUpdatedInPlace() {
        configure("tag", "{'value':'first'}", "property-flattener", "{}", "tag", "{'value':'second'}");
        EventContext context = event("$pageview").properties("{'a':{'b':1}}").build();
        ObjectNode data = context.data();

        EventContext out = ((StepResult.Ok<EventContext>) step.apply(context)).value();

        assertThat(calls).containsExactly("tag:first", "tag:second");
        assertThat(out.data()).isSameAs(data);
        assertThat(out.properties()).isEqualTo(json("{'tag':'second','a__b':1}"));
        assertThat(out.eventName()).isEqualTo("$pageview");
        assertThat(context.effects()).isEmpty();
    }

    @Test
    void aDroppingAppDropsTheEventAndLaterAppsDoNotRun() {
        configure("event-filter", "{'events':['$pageview']}", "tag", "{'value':'x'}");

        StepResult<EventContext> result = step.apply(event("$pageview").build());

        assertThat(result).isEqualTo(StepResult.drop("app_filtered"));
        assertThat(calls).isEmpty();
        assertThat(metrics.counter("ingest_plugin_app_dropped_total", "app", "event-filter").count()).isEqualTo(1);
    }

    @Test
    void aThrowingAppLeavesTheEventUnchangedWithAWarningAndTheNextAppsStillRun() {
        configure("tag", "{'value':'before'}", "mangle", "{}", "boom", "{}", "tag", "{'value':'after'}");
        EventContext context = event("$pageview").properties("{'keep':1}").build();

        EventContext out = ((StepResult.Ok<EventContext>) step.apply(context)).value();

        assertThat(out.eventName()).isEqualTo("$pageview");
        assertThat(out.properties()).isEqualTo(json("{'keep':1,'tag':'after'}"));
        List<JsonNode> warnings = Events.warningRows(context.effects());
        assertThat(warnings).hasSize(2).allSatisfy(w -> assertThat(w.get("type").asString()).isEqualTo("app_error"));
        JsonNode details = Events.details(warnings.get(1));
        assertThat(details.get("app").asString()).isEqualTo("boom");
        assertThat(details.get("eventUuid").asString()).isEqualTo(Events.EVENT_UUID);
        assertThat(details.get("error").asString()).isEqualTo("IllegalStateException: kaboom");
        assertThat(metrics.counter("ingest_plugin_app_errors_total", "app", "boom").count()).isEqualTo(1);
        assertThat(metrics.counter("ingest_plugin_app_errors_total", "app", "mangle").count()).isEqualTo(1);
        assertThat(metrics.counter("ingest_plugin_ingestion_warnings_total", "type", "app_error").count()).isEqualTo(2);
    }

    @Test
    void anAppThatBreaksTheEventShapeOrReturnsNothingIsAnError() {
        configure("unset-properties", "{}", "nothing", "{}");
        EventContext context = event("$pageview").properties("{'keep':1}").build();

        EventContext out = ((StepResult.Ok<EventContext>) step.apply(context)).value();

        assertThat(out.properties()).isEqualTo(json("{'keep':1}"));
        assertThat(Events.warningRows(context.effects())).hasSize(2);
    }

    @Test
    void anUnknownAppOrInvalidConfigIsReportedOnEveryEventButNeverStopsIt() {
        configure("no-such-app", "{}", "event-filter", "{'mode':'sometimes'}", "tag", "{'value':'ran'}");
        EventContext context = event("$pageview").build();

        EventContext out = ((StepResult.Ok<EventContext>) step.apply(context)).value();

        assertThat(out.properties().get("tag").asString()).isEqualTo("ran");
        assertThat(Events.warningRows(context.effects())).extracting(w -> Events.details(w).get("error").asString())
                .allSatisfy(error -> assertThat(error).contains("invalid app configuration"))
                .hasSize(2);
    }

    @Test
    void appsAreConfiguredPerProject() {
        configs.put(99L, List.of(new AppConfig(1, 99, "event-filter", json("{'events':['$pageview']}"), 0)));

        assertThat(step.apply(event("$pageview").build())).isInstanceOf(StepResult.Ok.class);
    }
}
