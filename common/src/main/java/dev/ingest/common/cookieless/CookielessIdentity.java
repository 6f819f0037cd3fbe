package dev.ingest.common.cookieless;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * A visitor's identity in stateless cookieless mode (docs/posthog-compatibility.md#cookieless-mode): the hash of the
 * day's salt, the project, IP, root domain, user agent and extra, as distinct id, device id, and the day's session.
 */
public record CookielessIdentity(String distinctId, String deviceId, UUID sessionId) {
    /** The calendar day of {@code timestamp} in {@code zone}: the day whose salt hashes it. */
    public static LocalDate day(Instant timestamp, ZoneId zone) {
        return LocalDate.ofInstant(timestamp, zone);
    }

    public static CookielessIdentity of(byte[] salt, long teamId, String ip, String host, String userAgent, String extra,
            LocalDate day, ZoneId zone) {
        byte[] hash = CookielessHash.hash(salt, teamId, ip, CookielessHash.rootDomain(host), userAgent, 0, extra);
        return new CookielessIdentity(CookielessHash.distinctId(hash), CookielessHash.deviceId(hash),
                CookielessHash.sessionId(hash, day.atStartOfDay(zone).toInstant()));
    }

    /** A time zone name an SDK sent ({@code $timezone}), or UTC when it is missing or unknown. */
    public static ZoneId zone(String name) {
        if (name == null || name.isBlank()) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(name);
        } catch (DateTimeException unknown) {
            return ZoneOffset.UTC;
        }
    }
}
