package dev.ingest.plugin.apps.geoip;

import static dev.ingest.plugin.testing.Events.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.plugin.apps.AppContext;
import dev.ingest.plugin.apps.AppResult;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

/** PostHog's GeoIP mapping (docs/posthog-compatibility.md#geoip), on a fake database; the real one is in GeoIpIT. */
class GeoIpAppTest {
    private static final AppContext META = new AppContext(2, "geoip", 0, "uuid", "user-1");
    /**
     * MaxMind's test database for 89.160.20.129, as in PostHog's posthog-plugin-geoip tests
     * ({@code nodejs/src/cdp/legacy-plugins/_transformations/posthog-plugin-geoip/index.test.ts}).
     */
    static final GeoIpLocation LINKOPING = new GeoIpLocation("Linköping", null, "Sweden", "SE", "Europe", "EU", null,
            58.4167, 15.6167, 76, "Europe/Stockholm", "E", "Östergötland County", null, null);

    private final List<InetAddress> lookups = new ArrayList<>();
    private final GeoIpApp app = new GeoIpApp(new GeoIpDatabase() {
        @Override
        public GeoIpLocation lookup(InetAddress address) {
            lookups.add(address);
            return address.getHostAddress().equals("89.160.20.129") ? LINKOPING : null;
        }

        @Override
        public int ipVersion() {
            return 6;
        }

        @Override
        public String type() {
            return "test";
        }

        @Override
        public void close() {}
    }, null);

    private ObjectNode process(String properties) {
        AppResult result = app.processEvent(json("{'event':'e','properties':" + properties + "}"), META);
        return (ObjectNode) ((AppResult.Keep) result).event().get("properties");
    }

    @Test
    void writesTheTestVectorProperties() {
        ObjectNode properties = process("{'$ip':'89.160.20.129'}");

        assertThat(properties).isEqualTo(json("""
                {'$ip':'89.160.20.129',
                 '$set':{'$geoip_city_name':'Linköping','$geoip_city_confidence':null,'$geoip_country_name':'Sweden',
                   '$geoip_country_code':'SE','$geoip_continent_name':'Europe','$geoip_continent_code':'EU',
                   '$geoip_postal_code':null,'$geoip_latitude':58.4167,'$geoip_longitude':15.6167,
                   '$geoip_accuracy_radius':76,'$geoip_time_zone':'Europe/Stockholm','$geoip_subdivision_1_code':'E',
                   '$geoip_subdivision_1_name':'Östergötland County','$geoip_subdivision_2_code':null,
                   '$geoip_subdivision_2_name':null},
                 '$set_once':{'$initial_geoip_city_name':'Linköping','$initial_geoip_city_confidence':null,
                   '$initial_geoip_country_name':'Sweden','$initial_geoip_country_code':'SE',
                   '$initial_geoip_continent_name':'Europe','$initial_geoip_continent_code':'EU',
                   '$initial_geoip_postal_code':null,'$initial_geoip_latitude':58.4167,
                   '$initial_geoip_longitude':15.6167,'$initial_geoip_accuracy_radius':76,
                   '$initial_geoip_time_zone':'Europe/Stockholm','$initial_geoip_subdivision_1_code':'E',
                   '$initial_geoip_subdivision_1_name':'Östergötland County','$initial_geoip_subdivision_2_code':null,
                   '$initial_geoip_subdivision_2_name':null},
                 '$geoip_accuracy_radius':76,'$geoip_city_name':'Linköping','$geoip_continent_code':'EU',
                 '$geoip_continent_name':'Europe','$geoip_country_code':'SE','$geoip_country_name':'Sweden',
                 '$geoip_latitude':58.4167,'$geoip_longitude':15.6167,'$geoip_subdivision_1_code':'E',
                 '$geoip_subdivision_1_name':'Östergötland County','$geoip_time_zone':'Europe/Stockholm'}"""));
        assertThat(properties.get("$geoip_accuracy_radius").isInt()).isTrue();
        assertThat(properties.has("$geoip_postal_code")).isFalse();
    }

    @Test
    void existingSetAndSetOnceAreKept() {
        ObjectNode properties = process("{'$ip':'89.160.20.129','$set':{'plan':'free'},'$set_once':{'first':1}}");

        assertThat(properties.get("$set").get("plan").asString()).isEqualTo("free");
        assertThat(properties.get("$set").get("$geoip_country_code").asString()).isEqualTo("SE");
        assertThat(properties.get("$set_once").get("first").asInt()).isEqualTo(1);
        assertThat(properties.get("$set_once").get("$initial_geoip_country_code").asString()).isEqualTo("SE");
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "'yes'", "'false'", "1", "{}"})
    void truthyGeoipDisableSkips(String value) {
        String properties = "{'$ip':'89.160.20.129','$geoip_disable':" + value + "}";
        assertThat(process(properties)).isEqualTo(json(properties));
        assertThat(lookups).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"false", "''", "0", "null"})
    void falsyGeoipDisableDoesNotSkip(String value) {
        assertThat(process("{'$ip':'89.160.20.129','$geoip_disable':" + value + "}").has("$geoip_country_code")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{'$ip':null}", "{'$ip':1}", "{'$ip':''}", "{'$ip':'example.com'}",
            "{'$ip':'256.1.1.1'}", "{'$ip':'1.2.3'}", "{'$ip':'10.0.0.1'}", "{'$ip':'١.٢.٣.٤'}", "{'$ip':'fe80::zz'}"})
    void noUsableOrKnownIpChangesNothing(String properties) {
        assertThat(process(properties)).isEqualTo(json(properties));
    }

    @Test
    void namesAreNeverResolved() {
        assertThat(GeoIpApp.parse("localhost")).isNull();
        assertThat(GeoIpApp.parse("8.8.8.8.in-addr.arpa")).isNull();
        assertThat(GeoIpApp.parse("2001:db8::1")).isNotNull();
        assertThat(GeoIpApp.parse("8.8.8.8")).isNotNull();
    }

    @Test
    void withoutADatabaseTheAppIsANoOp() {
        GeoIpApp disabled = GeoIpApp.open(new GeoIpProperties(null, null));
        ObjectNode event = json("{'event':'e','properties':{'$ip':'89.160.20.129'}}");

        assertThat(disabled.enabled()).isFalse();
        assertThat(disabled.processEvent(event.deepCopy(), META)).isEqualTo(AppResult.keep(event));
    }
}
