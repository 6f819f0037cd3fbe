package dev.ingest.plugin.apps;

import static dev.ingest.plugin.testing.Events.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ingest.common.app.AppConfigRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventFilterTest {
    private static final AppContext META = new AppContext(2, "event-filter", 0, "uuid", "user-1");

    private static boolean dropped(String config, String name, String properties) {
        AppResult result = EventFilter.fromConfig(json(config))
                .processEvent(json("{'event':'" + name + "','properties':" + properties + "}"), META);
        return result instanceof AppResult.Drop;
    }

    @Test
    void dropModeDropsListedEvents() {
        String config = "{'mode':'drop','events':['internal','$pageleave']}";
        assertThat(dropped(config, "internal", "{}")).isTrue();
        assertThat(dropped(config, "$pageleave", "{}")).isTrue();
        assertThat(dropped(config, "$pageview", "{}")).isFalse();
    }

    @Test
    void keepModeDropsEverythingElse() {
        String config = "{'mode':'keep','events':['purchase']}";
        assertThat(dropped(config, "purchase", "{}")).isFalse();
        assertThat(dropped(config, "$pageview", "{}")).isTrue();
    }

    @Test
    void modeDefaultsToDrop() {
        assertThat(dropped("{'events':['x']}", "x", "{}")).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{'key':'plan','operator':'exact','value':'free'}              | {'plan':'free'}       | true",
            "{'key':'plan','operator':'exact','value':'free'}              | {'plan':'paid'}       | false",
            "{'key':'plan','value':['free','trial']}                       | {'plan':'trial'}      | true",
            "{'key':'n','operator':'exact','value':1}                      | {'n':1}               | true",
            "{'key':'n','operator':'exact','value':'1'}                    | {'n':1}               | true",
            "{'key':'b','operator':'exact','value':true}                   | {'b':true}            | true",
            "{'key':'plan','operator':'exact','value':'free'}              | {}                    | false",
            "{'key':'plan','operator':'is_not','value':'free'}             | {'plan':'paid'}       | true",
            "{'key':'plan','operator':'is_not','value':'free'}             | {'plan':'free'}       | false",
            "{'key':'plan','operator':'is_not','value':'free'}             | {}                    | true",
            "{'key':'url','operator':'contains','value':'localhost'}       | {'url':'http://localhost:3000/'} | true",
            "{'key':'url','operator':'contains','value':'LOCALHOST'}       | {'url':'http://localhost:3000/'} | false",
            "{'key':'url','operator':'icontains','value':'LOCALHOST'}      | {'url':'http://localhost:3000/'} | true",
            "{'key':'url','operator':'contains','value':'x'}               | {'url':null}          | false",
            "{'key':'email','operator':'regex','value':'@example\\\\.com$'} | {'email':'a@example.com'} | true",
            "{'key':'email','operator':'regex','value':'@example\\\\.com$'} | {'email':'a@example.org'} | false",
            "{'key':'email','operator':'not_regex','value':'@example'}     | {'email':'a@other.org'} | true",
            "{'key':'email','operator':'is_set'}                           | {'email':'a'}         | true",
            "{'key':'email','operator':'is_set'}                           | {'email':null}        | false",
            "{'key':'email','operator':'is_not_set'}                       | {}                    | true"})
    void propertyRules(String rule, String properties, boolean matches) {
        assertThat(dropped("{'mode':'drop','properties':[" + rule + "]}", "e", properties)).isEqualTo(matches);
    }

    @Test
    void allCriteriaMustHoldByDefault() {
        String config = "{'events':['$pageview'],'properties':[{'key':'env','value':'dev'}]}";
        assertThat(dropped(config, "$pageview", "{'env':'dev'}")).isTrue();
        assertThat(dropped(config, "$pageview", "{'env':'prod'}")).isFalse();
        assertThat(dropped(config, "other", "{'env':'dev'}")).isFalse();
    }

    @Test
    void anyCriterionIsEnoughWithMatchAny() {
        String config = "{'match':'any','events':['$pageview'],'properties':[{'key':'env','value':'dev'}]}";
        assertThat(dropped(config, "$pageview", "{'env':'prod'}")).isTrue();
        assertThat(dropped(config, "other", "{'env':'dev'}")).isTrue();
        assertThat(dropped(config, "other", "{'env':'prod'}")).isFalse();
    }

    @Test
    void keptEventIsReturnedUnchanged() {
        var event = json("{'event':'e','properties':{'a':1}}");
        AppResult result = EventFilter.fromConfig(json("{'events':['x']}")).processEvent(event, META);
        assertThat(result).isEqualTo(AppResult.keep(json("{'event':'e','properties':{'a':1}}")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{'mode':'maybe','events':['x']}", "{'events':'x'}", "{'events':[1]}",
            "{'properties':[{'operator':'exact','value':'a'}]}", "{'properties':[{'key':'a','operator':'like','value':'a'}]}",
            "{'properties':[{'key':'a','operator':'exact'}]}", "{'properties':[{'key':'a','operator':'regex','value':'(a'}]}",
            "{'properties':[{'key':'a','operator':'regex','value':'(?<=a)b'}]}",
            "{'properties':[{'key':'a','operator':'contains','value':['a','b']}]}", "{'match':'some','events':['x']}"})
    void invalidConfigIsRejected(String config) {
        assertThatThrownBy(() -> EventFilter.fromConfig(json(config))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void overlongPatternIsRejected() {
        String pattern = "a".repeat(AppConfigRules.MAX_PATTERN_LENGTH + 1);
        assertThatThrownBy(() -> EventFilter.fromConfig(
                json("{'properties':[{'key':'a','operator':'regex','value':'" + pattern + "'}]}")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("longer than");
    }

    @Test
    void catastrophicPatternRunsInLinearTime() {
        EventFilter filter = EventFilter.fromConfig(json("{'properties':[{'key':'a','operator':'regex','value':'^(a+)+$'}]}"));
        long started = System.nanoTime();
        AppResult result = filter.processEvent(json("{'event':'e','properties':{'a':'" + "a".repeat(5000) + "!'}}"), META);
        assertThat(result).isInstanceOf(AppResult.Keep.class);
        assertThat(System.nanoTime() - started).isLessThan(2_000_000_000L);
    }
}
