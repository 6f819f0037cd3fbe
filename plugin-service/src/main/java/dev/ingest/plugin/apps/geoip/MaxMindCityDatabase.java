package dev.ingest.plugin.apps.geoip;

import com.maxmind.geoip2.DatabaseReader;
import com.maxmind.geoip2.exception.GeoIp2Exception;
import com.maxmind.geoip2.model.CityResponse;
import com.maxmind.geoip2.record.Subdivision;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/** MaxMind's GeoIP2 / GeoLite2 City (or Enterprise) files, through geoip2's DatabaseReader, English names. */
final class MaxMindCityDatabase implements GeoIpDatabase {
    private final DatabaseReader reader;

    MaxMindCityDatabase(File file) throws IOException {
        this.reader = new DatabaseReader.Builder(file).locales(List.of("en")).build();
    }

    static boolean handles(String databaseType) {
        return databaseType != null && (databaseType.contains("City") || databaseType.contains("Enterprise"));
    }

    @Override
    public GeoIpLocation lookup(InetAddress address) throws IOException {
        Optional<CityResponse> found;
        try {
            found = reader.tryCity(address);
        } catch (GeoIp2Exception e) {
            throw new IOException(e.getMessage(), e);
        }
        if (found.isEmpty()) {
            return null;
        }
        CityResponse city = found.get();
        List<Subdivision> subdivisions = city.subdivisions() == null ? List.of() : city.subdivisions();
        Subdivision first = subdivisions.size() > 0 ? subdivisions.get(0) : null;
        Subdivision second = subdivisions.size() > 1 ? subdivisions.get(1) : null;
        return new GeoIpLocation(
                city.city() == null ? null : city.city().name(),
                city.city() == null ? null : city.city().confidence(),
                city.country() == null ? null : city.country().name(),
                city.country() == null ? null : city.country().isoCode(),
                city.continent() == null ? null : city.continent().name(),
                city.continent() == null ? null : city.continent().code(),
                city.postal() == null ? null : city.postal().code(),
                city.location() == null ? null : city.location().latitude(),
                city.location() == null ? null : city.location().longitude(),
                city.location() == null ? null : city.location().accuracyRadius(),
                city.location() == null ? null : city.location().timeZone(),
                first == null ? null : first.isoCode(),
                first == null ? null : first.name(),
                second == null ? null : second.isoCode(),
                second == null ? null : second.name());
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
