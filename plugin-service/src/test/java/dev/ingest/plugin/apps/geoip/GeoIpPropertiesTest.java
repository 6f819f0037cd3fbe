package dev.ingest.plugin.apps.geoip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** How {@code ingest.plugin.geoip} binds: no database by default, both paths when set. */
class GeoIpPropertiesTest {
    private static GeoIpProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("ingest.plugin.geoip",
                GeoIpProperties.class);
    }

    @Test
    void withoutADatabaseTheAppDoesNothing() {
        assertThat(bind(Map.of())).isEqualTo(new GeoIpProperties(null, null));
    }

    @Test
    void bothDatabasesCanBeSet() {
        assertThat(bind(Map.of("ingest.plugin.geoip.database-path", "/data/city-v4.mmdb",
                "ingest.plugin.geoip.ipv6-database-path", "/data/city-v6.mmdb")))
                .isEqualTo(new GeoIpProperties("/data/city-v4.mmdb", "/data/city-v6.mmdb"));
    }
}
