package dev.ingest.plugin.apps.geoip;

import dev.ingest.plugin.apps.AppContext;
import dev.ingest.plugin.apps.AppResult;
import dev.ingest.plugin.apps.EventTransformer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The GeoIP app (docs/posthog-compatibility.md#geoip). When {@code properties.$ip} holds an IP address (a literal:
 * nothing is ever resolved) and {@code $geoip_disable} is not truthy (JavaScript truthiness, as in PostHog), it looks
 * the address up and writes, for each of the 15 fields, {@code $geoip_X} into the properties (only when known),
 * {@code $set.$geoip_X} and {@code $set_once.$initial_geoip_X} (null when unknown) into {@code properties.$set} /
 * {@code properties.$set_once}, keeping what they already hold. An address the database does not know (private
 * ranges, for example) changes nothing. One shared instance serves every project that enables {@code geoip}; without
 * a configured database it is a no-op.
 */
public final class GeoIpApp implements EventTransformer, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GeoIpApp.class);
    private static final String[] FIELDS = {"city_name", "city_confidence", "country_name", "country_code",
            "continent_name", "continent_code", "postal_code", "latitude", "longitude", "accuracy_radius", "time_zone",
            "subdivision_1_code", "subdivision_1_name", "subdivision_2_code", "subdivision_2_name"};

    private final GeoIpDatabase primary;
    private final GeoIpDatabase ipv6;

    /**
     * @param primary the City database (IPv4 only, or both families); null for a no-op app
     * @param ipv6 an extra database for IPv6 addresses, or null
     */
    public GeoIpApp(GeoIpDatabase primary, GeoIpDatabase ipv6) {
        this.primary = primary;
        this.ipv6 = ipv6;
    }

    /** Opens the configured databases; a configured path that cannot be opened stops the start. */
    public static GeoIpApp open(GeoIpProperties properties) {
        if (properties == null || blank(properties.databasePath())) {
            log.warn("no GeoIP database configured (ingest.plugin.geoip.database-path, env INGEST_PLUGIN_GEOIP_DATABASE_PATH): "
                    + "the geoip app adds nothing to events");
            return new GeoIpApp(null, null);
        }
        try {
            GeoIpDatabase primary = GeoIpDatabase.open(Path.of(properties.databasePath()));
            GeoIpDatabase ipv6 = blank(properties.ipv6DatabasePath()) ? null
                    : GeoIpDatabase.open(Path.of(properties.ipv6DatabasePath()));
            log.info("GeoIP database {} ({}){}", properties.databasePath(), primary.type(),
                    ipv6 == null ? "" : ", IPv6: " + properties.ipv6DatabasePath() + " (" + ipv6.type() + ")");
            return new GeoIpApp(primary, ipv6);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the GeoIP database: " + e.getMessage(), e);
        }
    }

    public boolean enabled() {
        return primary != null;
    }

    @Override
    public AppResult processEvent(ObjectNode event, AppContext meta) {
        if (primary == null || !(event.get("properties") instanceof ObjectNode properties)
                || truthy(properties.get("$geoip_disable"))) {
            return AppResult.keep(event);
        }
        JsonNode ip = properties.get("$ip");
        InetAddress address = ip != null && ip.isString() ? parse(ip.asString().strip()) : null;
        if (address == null) {
            return AppResult.keep(event);
        }
        GeoIpDatabase database = address instanceof Inet4Address ? primary
                : ipv6 != null ? ipv6 : primary.ipVersion() == 6 ? primary : null;
        if (database == null) {
            return AppResult.keep(event);
        }
        GeoIpLocation location;
        try {
            location = database.lookup(address);
        } catch (IOException e) {
            throw new UncheckedIOException("GeoIP lookup failed: " + e.getMessage(), e);
        }
        if (location != null) {
            write(properties, location);
        }
        return AppResult.keep(event);
    }

    /** Writes the location as PostHog's GeoIP does. Public for tests of the mapping without a database. */
    public static void write(ObjectNode properties, GeoIpLocation location) {
        Object[] values = {location.cityName(), location.cityConfidence(), location.countryName(),
                location.countryCode(), location.continentName(), location.continentCode(), location.postalCode(),
                location.latitude(), location.longitude(), location.accuracyRadius(), location.timeZone(),
                location.subdivision1Code(), location.subdivision1Name(), location.subdivision2Code(),
                location.subdivision2Name()};
        ObjectNode set = object(properties, "$set");
        ObjectNode setOnce = object(properties, "$set_once");
        for (int i = 0; i < FIELDS.length; i++) {
            Object value = values[i];
            if (value != null) {
                put(properties, "$geoip_" + FIELDS[i], value);
            }
            put(set, "$geoip_" + FIELDS[i], value);
            put(setOnce, "$initial_geoip_" + FIELDS[i], value);
        }
    }

    private static ObjectNode object(ObjectNode properties, String key) {
        if (properties.get(key) instanceof ObjectNode existing) {
            return existing;
        }
        return properties.putObject(key);
    }

    private static void put(ObjectNode node, String key, Object value) {
        switch (value) {
            case null -> node.putNull(key);
            case String s -> node.put(key, s);
            case Integer n -> node.put(key, n);
            case Double d -> node.put(key, d);
            default -> node.put(key, value.toString());
        }
    }

    /** JavaScript truthiness: absent, null, false, 0, NaN and "" are falsy; everything else (even "false") is not. */
    static boolean truthy(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return false;
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isNumber()) {
            double d = value.asDouble();
            return d != 0 && !Double.isNaN(d);
        }
        if (value.isString()) {
            return !value.asString().isEmpty();
        }
        return true;
    }

    /** An IP literal, or null. Never resolves a name: IPv4 is parsed here, IPv6 only when it contains a colon. */
    static InetAddress parse(String ip) {
        if (ip.isEmpty() || ip.length() > 64) {
            return null;
        }
        try {
            if (ip.indexOf(':') >= 0) {
                for (int i = 0; i < ip.length(); i++) {
                    char c = ip.charAt(i);
                    if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.')) {
                        return null;
                    }
                }
                return InetAddress.getByName(ip);
            }
            String[] parts = ip.split("\\.", -1);
            if (parts.length != 4) {
                return null;
            }
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                String part = parts[i];
                if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    return null;
                }
                int octet = Integer.parseInt(part);
                if (octet > 255) {
                    return null;
                }
                bytes[i] = (byte) octet;
            }
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }

    @Override
    public void close() throws IOException {
        if (primary != null) {
            primary.close();
        }
        if (ipv6 != null) {
            ipv6.close();
        }
    }
}
