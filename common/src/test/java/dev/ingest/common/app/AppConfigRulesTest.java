package dev.ingest.common.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingest.common.json.Json;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class AppConfigRulesTest {

    private static Optional<String> problem(AppName app, String json) {
        return AppConfigRules.problem(app, Json.read(json.replace('\'', '"')));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            GEOIP              | {}
            PROPERTY_FLATTENER | {}
            PROPERTY_FLATTENER | {'separator':'.','keep_original':true}
            EVENT_FILTER       | {'events':['internal']}
            EVENT_FILTER       | {'mode':'keep','match':'any','properties':[{'key':'plan','value':['free','trial']}]}
            EVENT_FILTER       | {'properties':[{'key':'a','operator':'IS_SET'}]}
            EVENT_FILTER       | {'properties':[{'key':'u','operator':'regex','value':'^https?://[^/]+/admin'}]}
            WEBHOOK            | {'url':'https://hooks.example.com/x','method':'put','headers':{'X-A':'1'},'events':['paid']}
            CUSTOMERIO         | {'siteId':'s','apiKey':'k','host':'https://track-eu.customer.io','identifyBy':'email'}
            JS                 | {'source':'function processEvent(e) { return e }','timeoutMs':1000}
            """)
    void validConfigsPass(AppName app, String config) {
        assertThat(problem(app, config)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            PROPERTY_FLATTENER | {'separator':''}                                          | config.separator must be 1 to 10
            PROPERTY_FLATTENER | {'keep_original':'yes'}                                   | config.keep_original must be a boolean
            EVENT_FILTER       | {}                                                        | needs config.events or config.properties
            EVENT_FILTER       | {'mode':'maybe','events':['x']}                           | config.mode must be one of drop, keep
            EVENT_FILTER       | {'events':[1]}                                            | config.events must be a list
            EVENT_FILTER       | {'properties':[{'operator':'exact','value':'a'}]}         | needs a non-empty string key
            EVENT_FILTER       | {'properties':[{'key':'a','operator':'like','value':'a'}]}| Unknown operator "like"
            EVENT_FILTER       | {'properties':[{'key':'a','operator':'exact'}]}           | needs a value
            EVENT_FILTER       | {'properties':[{'key':'a','operator':'contains','value':['a','b']}]} | takes exactly one value
            EVENT_FILTER       | {'properties':[{'key':'a','operator':'regex','value':'(a'}]} | not valid RE2 syntax
            EVENT_FILTER       | {'properties':[{'key':'a','operator':'regex','value':'(?<=a)b'}]} | not valid RE2 syntax
            WEBHOOK            | {'url':'ftp://x/'}                                        | config.url must be an absolute http(s) URL
            WEBHOOK            | {'url':'/relative'}                                       | config.url must be an absolute http(s) URL
            WEBHOOK            | {'url':'https://x/','method':'DELETE'}                    | config.method must be POST, PUT or PATCH
            WEBHOOK            | {'url':'https://x/','headers':{'X':1}}                    | config.headers must be an object
            CUSTOMERIO         | {'siteId':'s'}                                            | config.apiKey is required
            CUSTOMERIO         | {'siteId':'s','apiKey':'k','identifyBy':'phone'}          | config.identifyBy must be one of
            JS                 | {'source':42}                                             | config.source must be a string
            JS                 | {'source':'x','timeoutMs':5000}                           | config.timeoutMs must be an integer from 1 to 1000
            """)
    void brokenRulesAreNamed(AppName app, String config, String problem) {
        assertThat(problem(app, config)).hasValueSatisfying(detail -> assertThat(detail).contains(problem));
        assertThatThrownBy(() -> AppConfigRules.requireValid(app, Json.read(config.replace('\'', '"'))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(problem);
    }

    @ParameterizedTest
    @EnumSource(AppName.class)
    void aConfigIsAnObject(AppName app) {
        assertThat(problem(app, "[]")).contains("The config must be a JSON object.");
    }

    @Test
    void aLongPatternAndAnOversizedConfigAreRefused() {
        String pattern = "a".repeat(AppConfigRules.MAX_PATTERN_LENGTH + 1);
        assertThat(problem(AppName.EVENT_FILTER, "{'properties':[{'key':'a','operator':'regex','value':'" + pattern
                + "'}]}")).hasValueSatisfying(detail -> assertThat(detail).contains("longer than 1000 characters"));
        String padding = "x".repeat(AppConfigRules.MAX_CONFIG_BYTES);
        assertThat(problem(AppName.GEOIP, "{'padding':'" + padding + "'}"))
                .hasValueSatisfying(detail -> assertThat(detail).startsWith("The config is 262158 bytes serialized"));
    }

    @Test
    void namesRoundTripAndDestinationsAreKnown() {
        for (AppName app : AppName.values()) {
            assertThat(AppName.fromWire(app.wire())).contains(app);
        }
        assertThat(AppName.fromWire("nope")).isEmpty();
        assertThat(AppName.LIST).isEqualTo("geoip, property-flattener, event-filter, webhook, customerio, js");
        assertThat(AppName.WEBHOOK.isDestination()).isTrue();
        assertThat(AppName.JS.isDestination()).isFalse();
        assertThat(AppConfigRules.unknownApp("x".repeat(150))).startsWith("\"" + "x".repeat(100) + "...\" is not an app");
    }
}
