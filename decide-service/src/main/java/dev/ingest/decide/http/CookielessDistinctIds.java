package dev.ingest.decide.http;

import dev.ingest.common.cookieless.CookielessHash;
import dev.ingest.common.cookieless.CookielessIdentity;
import dev.ingest.common.cookieless.CookielessSalts;
import dev.ingest.common.http.ClientIp;
import dev.ingest.decide.evaluation.Project;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The distinct id of a cookieless flags request (posthog-js sends {@code $posthog_cookieless}), hashed as ingestion
 * hashes the same visitor's events (docs/posthog-compatibility.md#cookieless-mode), so flags are evaluated for the
 * person the events go to. As PostHog's flags service does it: the IP of the request, its {@code Origin} header for
 * the host, its {@code User-Agent}, the time from the {@code _} query parameter (milliseconds) or now, the time zone
 * from the body's {@code timezone}, the extra from {@code cookieless_hash_extra}.
 */
@Component
public class CookielessDistinctIds {
    private final CookielessSalts salts;
    private final Clock clock = Clock.systemUTC();

    public CookielessDistinctIds(JdbcTemplate jdbc) {
        this.salts = new CookielessSalts(jdbc, clock);
    }

    /** Whether {@code distinctId} is the placeholder of a project that hashes cookieless visitors. */
    public static boolean applies(Project project, String distinctId) {
        return project.cookielessServerHashMode() != 0 && CookielessHash.PLACEHOLDER_DISTINCT_ID.equals(distinctId);
    }

    public String resolve(Project project, HttpServletRequest http, ObjectNode body, Map<String, String> query) {
        String ip = ClientIp.of(http, ClientIp.LOOPBACK);
        String host = http.getHeader("Origin");
        String userAgent = http.getHeader("User-Agent");
        if (blank(ip) || blank(host) || blank(userAgent)) {
            throw new DecideException(400, "validation_error", "cookieless_error",
                    "A cookieless request needs its client IP, Origin and User-Agent headers.");
        }
        Instant now = Instant.now(clock);
        Instant at = now;
        String sent = query.get("_");
        if (sent != null) {
            try {
                at = Instant.ofEpochMilli(Long.parseLong(sent.trim()));
            } catch (NumberFormatException ignored) {
                // PostHog falls back to now as well
            }
        }
        ZoneId zone = CookielessIdentity.zone(text(body.get("timezone")));
        LocalDate day = CookielessIdentity.day(at, zone);
        if (!CookielessSalts.accepts(day, now)) {
            day = CookielessIdentity.day(now, zone);
        }
        return CookielessIdentity.of(salts.forDay(day), project.id(), ip, host, userAgent,
                text(body.get("cookieless_hash_extra")), day, zone).distinctId();
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    private static String text(JsonNode value) {
        return value != null && value.isString() ? value.asString() : null;
    }
}
