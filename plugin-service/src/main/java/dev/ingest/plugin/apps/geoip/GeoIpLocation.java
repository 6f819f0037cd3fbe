package dev.ingest.plugin.apps.geoip;

/**
 * What a City database knows of an address: the fields PostHog's GeoIP writes (docs/posthog-compatibility.md#geoip),
 * each null when unknown.
 */
public record GeoIpLocation(
        String cityName,
        Integer cityConfidence,
        String countryName,
        String countryCode,
        String continentName,
        String continentCode,
        String postalCode,
        Double latitude,
        Double longitude,
        Integer accuracyRadius,
        String timeZone,
        String subdivision1Code,
        String subdivision1Name,
        String subdivision2Code,
        String subdivision2Name) {}
