package dev.ingest.plugin.ingestion.step;

import static dev.ingest.plugin.testing.Events.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.cookieless.CookielessIdentity;
import dev.ingest.plugin.ingestion.pipeline.EventContext;
import dev.ingest.plugin.ingestion.pipeline.StepResult;
import dev.ingest.plugin.ingestion.team.Team;
import dev.ingest.plugin.ingestion.warning.IngestionWarnings;
import dev.ingest.plugin.testing.Events;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.node.JsonNodeFactory;

/** Cookieless events get their hashed identity, lose their IP and raw user agent, or are dropped with a warning. */
class CookielessStepTest {
    private static final Instant NOW = Instant.parse("2026-12-02T15:00:00Z");
    private static final byte[] SALT = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    private static final String BROWSER = "\"$cookieless_mode\": true, \"$raw_user_agent\": \"Mozilla/5.0 Test\","
            + " \"$host\": \"www.shop.example.co.uk\", \"$ip\": \"203.0.113.9\"";
    private final List<LocalDate> saltsAsked = new ArrayList<>();
    private final CookielessStep step = new CookielessStep(day -> {
        saltsAsked.add(day);
        return SALT;
    }, new IngestionWarnings(Clock.fixed(NOW, ZoneOffset.UTC), new SimpleMeterRegistry()), Clock.fixed(NOW, ZoneOffset.UTC));

    private static Team team(int mode) {
        Team base = Events.team();
        return new Team(base.id(), base.uuid(), base.name(), base.apiToken(), false, false, null, null, mode);
    }

    private static EventContext cookieless(String name, String properties, int mode) {
        return event(name).distinctId("$posthog_cookieless").ip(null).team(team(mode)).sentAt("2026-12-02T14:59:59Z")
                .properties("{" + properties + "}").build();
    }

    @Test
    void aCookielessEventTakesTheHashedIdentityAndLosesItsIpAndUserAgent() {
        EventContext context = cookieless("$pageview", BROWSER + ", \"$set\": {\"$raw_user_agent\": \"x\", \"a\": 1}", 1);

        StepResult<EventContext> result = step.apply(context);

        CookielessIdentity expected = CookielessIdentity.of(SALT, Events.TEAM_ID, "203.0.113.9", "www.shop.example.co.uk",
                "Mozilla/5.0 Test", null, LocalDate.of(2026, 12, 2), ZoneOffset.UTC);
        assertThat(result).isInstanceOfSatisfying(StepResult.Ok.class, ok -> {
            EventContext hashed = (EventContext) ok.value();
            assertThat(hashed.distinctId()).isEqualTo(expected.distinctId()).startsWith("cookieless_");
            assertThat(hashed.captured().ip()).isNull();
            assertThat(hashed.data().get("distinct_id").asString()).isEqualTo(expected.distinctId());
            assertThat(hashed.properties().get("$device_id").asString()).isEqualTo(expected.deviceId());
            assertThat(hashed.properties().get("$session_id").asString()).isEqualTo(expected.sessionId().toString());
            assertThat(hashed.properties().has("$ip")).isFalse();
            assertThat(hashed.properties().has("$raw_user_agent")).isFalse();
            assertThat(hashed.properties().get("$set").has("$raw_user_agent")).isFalse();
            assertThat(hashed.properties().get("$set").get("a").asInt()).isOne();
        });
        assertThat(saltsAsked).containsExactly(LocalDate.of(2026, 12, 2));
    }

    @Test
    void theDayIsTheEventsDayInTheVisitorsTimeZone() {
        EventContext context = cookieless("$pageview", BROWSER + ", \"$timezone\": \"Pacific/Auckland\"", 1);
        step.apply(context);
        assertThat(saltsAsked).containsExactly(LocalDate.of(2026, 12, 3));
        assertThat(CookielessIdentity.zone("Nowhere/Else")).isEqualTo(ZoneId.of("UTC").normalized());
    }

    @ParameterizedTest(name = "{0} in mode {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            $pageview         | "$cookieless_mode": true, "$raw_user_agent": "ua", "$host": "a.example"  | 1 | cookieless_missing_ip
            $pageview         | "$cookieless_mode": true, "$ip": "1.2.3.4", "$host": "a.example"         | 1 | cookieless_missing_user_agent
            $pageview         | "$cookieless_mode": true, "$ip": "1.2.3.4", "$raw_user_agent": "ua"      | 1 | cookieless_missing_host
            $identify         | "$cookieless_mode": true                                                 | 1 | cookieless_stateless_no_identify
            $create_alias     | "$cookieless_mode": true                                                 | 1 | cookieless_unsupported_event
            $merge_dangerously| "$cookieless_mode": true                                                 | 1 | cookieless_unsupported_event
            $pageview         | "$cookieless_mode": true                                                 | 0 | cookieless_team_disabled
            """)
    void whatCannotBeHashedIsDroppedWithAWarningOfTheSameName(String name, String properties, int mode, String reason) {
        EventContext context = cookieless(name, properties, mode);
        assertThat(step.apply(context)).isInstanceOfSatisfying(StepResult.Drop.class,
                drop -> assertThat(drop.cause()).isEqualTo(reason));
        assertThat(Events.warningRows(context.effects())).singleElement()
                .satisfies(row -> assertThat(row.get("type").asString()).isEqualTo(reason));
    }

    @Test
    void anEventFromTooLongAgoCannotBeHashedAnyMore() {
        EventContext context = event("$pageview").distinctId("$posthog_cookieless").team(team(1))
                .sentAt("2026-12-02T14:59:59Z").top("timestamp", JsonNodeFactory.instance.stringNode("2026-11-27T10:00:00Z"))
                .properties("{" + BROWSER + "}").build();
        assertThat(step.apply(context)).isInstanceOfSatisfying(StepResult.Drop.class,
                drop -> assertThat(drop.cause()).isEqualTo("cookieless_timestamp_out_of_range"));
        assertThat(saltsAsked).isEmpty();
    }

    @Test
    void anEventWithoutCookielessModeIsLeftAlone() {
        EventContext context = event("$pageview").team(team(1)).properties("{\"$ip\": \"1.2.3.4\"}").build();
        assertThat(step.apply(context)).isInstanceOfSatisfying(StepResult.Ok.class,
                ok -> assertThat(((EventContext) ok.value()).distinctId()).isEqualTo(Events.DISTINCT_ID));
        assertThat(context.properties().get("$ip").asString()).isEqualTo("1.2.3.4");
    }
}
