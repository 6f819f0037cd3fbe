package dev.ingest.plugin.ingestion.step;

import dev.ingest.common.cookieless.CookielessIdentity;
import dev.ingest.common.cookieless.CookielessSalts;
import dev.ingest.common.event.CapturedEvent;
import dev.ingest.plugin.ingestion.pipeline.EventContext;
import dev.ingest.plugin.ingestion.pipeline.PipelineStage;
import dev.ingest.plugin.ingestion.pipeline.PipelineStep;
import dev.ingest.plugin.ingestion.pipeline.StepResult;
import dev.ingest.plugin.ingestion.warning.IngestionWarnings;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Gives a cookieless event (one with a truthy {@code $cookieless_mode}: posthog-js's {@code cookieless_mode}) its
 * server-side identity, as PostHog's stateless cookieless mode does (docs/posthog-compatibility.md#cookieless-mode):
 * distinct id, {@code $device_id} and the day's {@code $session_id} hashed from the day's salt, the project, IP, root
 * domain of {@code $host}, user agent ({@code $raw_user_agent}) and {@code $cookieless_extra}; then the IP, the raw
 * user agent and the extra are removed from the event. What cannot be hashed is dropped with PostHog's warning;
 * aliases, merges and identifies (stateless mode keeps no state to join them) and the events of a project that has not
 * turned the mode on are dropped with a warning of the drop's name.
 */
public final class CookielessStep implements PipelineStep {
    private static final Set<String> UNSUPPORTED = Set.of("$create_alias", "$merge_dangerously");

    private final Function<LocalDate, byte[]> salts;
    private final IngestionWarnings warnings;
    private final Clock clock;

    /** @param salts the salt of a day ({@link CookielessSalts#forDay}) */
    public CookielessStep(Function<LocalDate, byte[]> salts, IngestionWarnings warnings, Clock clock) {
        this.salts = salts;
        this.warnings = warnings;
        this.clock = clock;
    }

    @Override
    public PipelineStage stage() {
        return PipelineStage.COOKIELESS;
    }

    @Override
    public Set<PipelineStage> requires() {
        return Set.of(PipelineStage.RESOLVE_TEAM);
    }

    @Override
    public StepResult<EventContext> apply(EventContext context) {
        ObjectNode properties = context.properties();
        if (!truthy(properties.get("$cookieless_mode"))) {
            return StepResult.ok(context);
        }
        String event = context.eventName();
        if (UNSUPPORTED.contains(event)) {
            return drop(context, "cookieless_unsupported_event", null);
        }
        if (context.team().cookielessServerHashMode() == 0) {
            return drop(context, "cookieless_team_disabled", null);
        }
        if ("$identify".equals(event)) {
            return drop(context, "cookieless_stateless_no_identify", null);
        }
        Instant timestamp = timestamp(context);
        if (timestamp == null) {
            return drop(context, "cookieless_missing_timestamp", null);
        }
        String userAgent = text(properties.get("$raw_user_agent"));
        // $ip, or the address capture saw when normalisation has removed it (a project that anonymises IPs).
        String ip = text(properties.get("$ip")) != null ? text(properties.get("$ip")) : context.captured().ip();
        String host = text(properties.get("$host"));
        if (userAgent == null) {
            return drop(context, "cookieless_missing_user_agent", "$raw_user_agent");
        }
        if (ip == null) {
            return drop(context, "cookieless_missing_ip", "$ip");
        }
        if (host == null) {
            return drop(context, "cookieless_missing_host", "$host");
        }
        ZoneId zone = CookielessIdentity.zone(text(properties.get("$timezone")));
        LocalDate day = CookielessIdentity.day(timestamp, zone);
        if (!CookielessSalts.accepts(day, Instant.now(clock))) {
            return drop(context, "cookieless_timestamp_out_of_range", null);
        }
        CookielessIdentity identity = CookielessIdentity.of(salts.apply(day), context.team().id(), ip, host, userAgent,
                text(properties.get("$cookieless_extra")), day, zone);

        ObjectNode data = context.data();
        data.put("distinct_id", identity.distinctId());
        properties.put("$distinct_id", identity.distinctId());
        properties.put("$device_id", identity.deviceId());
        properties.put("$session_id", identity.sessionId().toString());
        properties.remove("$ip");
        properties.remove("$raw_user_agent");
        properties.remove("$cookieless_extra");
        if (properties.get("$set") instanceof ObjectNode set) {
            set.remove("$raw_user_agent");
        }
        if (properties.get("$set_once") instanceof ObjectNode setOnce) {
            setOnce.remove("$initial_raw_user_agent");
        }
        CapturedEvent was = context.captured();
        CapturedEvent hashed = new CapturedEvent(was.uuid(), identity.distinctId(), null, was.data(), was.now(),
                was.sentAt(), was.token(), was.teamId(), was.event(), was.cookielessMode(), was.historicalMigration());
        return StepResult.ok(context.withCaptured(hashed, data));
    }

    private StepResult<EventContext> drop(EventContext context, String reason, String missingProperty) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("eventUuid", context.captured().uuid());
        details.put("event", context.eventName());
        details.put("distinctId", context.distinctId());
        if (missingProperty != null) {
            details.put("missingProperty", missingProperty);
        }
        warnings.record(context, context.team().id(), reason, details);
        return StepResult.drop(reason);
    }

    /** PostHog's {@code event.timestamp ?? sent_at ?? now}, as an instant. */
    private static Instant timestamp(EventContext context) {
        JsonNode own = context.data().get("timestamp");
        String text = own != null && own.isString() ? own.asString()
                : context.captured().sentAt() != null ? context.captured().sentAt() : context.captured().now();
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeException notAnInstant) {
            return null;
        }
    }

    private static String text(JsonNode value) {
        return value != null && value.isString() && !value.asString().isEmpty() ? value.asString() : null;
    }

    private static boolean truthy(JsonNode value) {
        return value != null && (value.isBoolean() ? value.asBoolean() : value.isString() ? !value.asString().isEmpty()
                : value.isNumber() ? value.asDouble() != 0 : !value.isNull());
    }
}
