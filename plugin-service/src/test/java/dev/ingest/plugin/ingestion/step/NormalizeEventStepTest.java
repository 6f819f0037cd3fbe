package dev.ingest.plugin.ingestion.step;

import static dev.ingest.plugin.testing.Events.event;
import static dev.ingest.plugin.testing.Events.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.plugin.ingestion.pipeline.EventContext;
import dev.ingest.plugin.ingestion.pipeline.StepResult;
import dev.ingest.plugin.person.PersonPropertyKeys;
import dev.ingest.plugin.testing.Events;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.IntNode;
import tools.jackson.databind.node.ObjectNode;

/** normalizeEvent and normalizeProcessPerson (docs/posthog-compatibility.md#event-normalisation). */
class NormalizeEventStepTest {
    private final NormalizeEventStep step = new NormalizeEventStep();

    private EventContext normalize(Events.Builder event) {
        StepResult<EventContext> result = step.apply(event.build());
        assertThat(result).isInstanceOf(StepResult.Ok.class);
        return ((StepResult.Ok<EventContext>) result).value();
    }

    private ObjectNode normalizedProperties(Events.Builder event) {
        return normalize(event).properties();
    }

    @Test
    void topLevelSetIsMergedIntoPropertiesWithTheTopLevelWinning() {
        EventContext context = normalize(event("custom").properties("{'$set':{'a':1,'b':1}}").top("$set", "{'b':2,'c':2}"));

        assertThat(context.properties().get("$set")).isEqualTo(json("{'a':1,'b':2,'c':2}"));
        assertThat(context.data().has("$set")).isFalse();
    }

    @Test
    void topLevelSetOnceIsMergedIntoPropertiesWithTheTopLevelWinning() {
        EventContext context = normalize(event("custom").properties("{'$set_once':{'a':1,'b':1}}")
                .top("$set_once", "{'b':2}"));

        assertThat(context.properties().get("$set_once")).isEqualTo(json("{'a':1,'b':2}"));
        assertThat(context.data().has("$set_once")).isFalse();
    }

    @Test
    void topLevelSetIsMovedIntoPropertiesWithoutOne() {
        ObjectNode properties = normalizedProperties(event("custom").top("$set", "{'email':'a@b.c'}"));

        assertThat(properties.get("$set")).isEqualTo(json("{'email':'a@b.c'}"));
    }

    @Test
    void ipFromCaptureIsAddedWhenTheEventHasNone() {
        assertThat(normalizedProperties(event("custom").ip("10.1.2.3")).get("$ip").asString()).isEqualTo("10.1.2.3");
    }

    @Test
    void ipSentByTheClientIsKept() {
        ObjectNode properties = normalizedProperties(event("custom").ip("10.1.2.3").properties("{'$ip':'1.1.1.1'}"));

        assertThat(properties.get("$ip").asString()).isEqualTo("1.1.1.1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{'$ip':''}", "{'$ip':null}", "{'$ip':false}", "{'$ip':0}"})
    void emptyOrFalsyClientIpIsReplacedByCapturesIp(String properties) {
        assertThat(normalizedProperties(event("custom").ip("10.1.2.3").properties(properties)).get("$ip").asString())
                .isEqualTo("10.1.2.3");
    }

    @Test
    void noIpAnywhereMeansNoIpProperty() {
        assertThat(normalizedProperties(event("custom").ip(null)).has("$ip")).isFalse();
    }

    static Stream<String> eventToPersonPropertiesButTheOsNameAlias() {
        return PersonPropertyKeys.EVENT_TO_PERSON.stream().filter(key -> !key.equals("$os_name"));
    }

    @ParameterizedTest
    @MethodSource("eventToPersonPropertiesButTheOsNameAlias")
    void eventToPersonPropertyGoesToSetAndToSetOnceAsInitial(String key) {
        ObjectNode properties = normalizedProperties(event("$pageview").properties("{'" + key + "':'value'}"));

        assertThat(properties.get("$set")).isEqualTo(json("{'" + key + "':'value'}"));
        assertThat(properties.get("$set_once")).isEqualTo(json("{'" + PersonPropertyKeys.initialKey(key) + "':'value'}"));
        assertThat(properties.get(key).asString()).isEqualTo("value");
    }

    @Test
    void campaignParametersBecomeInitialKeysWithTheirOwnName() {
        assertThat(PersonPropertyKeys.initialKey("utm_source")).isEqualTo("$initial_utm_source");
        assertThat(PersonPropertyKeys.initialKey("$browser")).isEqualTo("$initial_browser");
    }

    /**
     * PostHog's own vector for personInitialAndUTMProperties (nodejs/src/common/utils/db/utils.test.ts): a web event
     * with device, URL and campaign properties and client values that win, and exactly this derived set.
     */
    @Test
    void theWholeDerivedSetMatchesPostHogsVector() {
        ObjectNode properties = normalizedProperties(event("$pageview").properties("""
                {'distinct_id':2,'$browser':'Chrome','$current_url':'https://test.com','$os':'Mac OS X',
                 '$os_version':'10.15.7','$browser_version':'95','$referring_domain':'https://google.com',
                 '$referrer':'https://google.com/?q=posthog','utm_medium':'twitter','gclid':'GOOGLE ADS ID',
                 'msclkid':'BING ADS ID','$elements':[{'tag_name':'a','nth_child':1,'nth_of_type':2}],
                 '$app_build':2,'$app_name':'my app','$app_namespace':'com.posthog.myapp','$app_version':'1.2.3',
                 '$set':{'$browser_version':'manually $set value wins'},
                 '$set_once':{'$initial_os_version':'manually $set_once value wins'}}"""));

        assertThat(properties.get("$set")).isEqualTo(json("""
                {'$app_build':2,'$app_name':'my app','$app_namespace':'com.posthog.myapp','$app_version':'1.2.3',
                 '$browser':'Chrome','$browser_version':'manually $set value wins','$current_url':'https://test.com',
                 '$os':'Mac OS X','$os_version':'10.15.7','$referrer':'https://google.com/?q=posthog',
                 '$referring_domain':'https://google.com','gclid':'GOOGLE ADS ID','msclkid':'BING ADS ID',
                 'utm_medium':'twitter'}"""));
        assertThat(properties.get("$set_once")).isEqualTo(json("""
                {'$initial_app_build':2,'$initial_app_name':'my app','$initial_app_namespace':'com.posthog.myapp',
                 '$initial_app_version':'1.2.3','$initial_browser':'Chrome','$initial_browser_version':'95',
                 '$initial_current_url':'https://test.com','$initial_gclid':'GOOGLE ADS ID',
                 '$initial_msclkid':'BING ADS ID','$initial_os':'Mac OS X',
                 '$initial_os_version':'manually $set_once value wins','$initial_referrer':'https://google.com/?q=posthog',
                 '$initial_referring_domain':'https://google.com','$initial_utm_medium':'twitter'}"""));
    }

    @Test
    void aNullParameterIsTheLatestTouchButNeverTheFirst() {
        ObjectNode properties = normalizedProperties(event("$pageview")
                .properties("{'utm_source':null,'gclid':null,'utm_medium':'email'}"));

        assertThat(properties.get("$set")).isEqualTo(json("{'utm_source':null,'gclid':null,'utm_medium':'email'}"));
        assertThat(properties.get("$set_once")).isEqualTo(json("{'$initial_utm_medium':'email'}"));
    }

    @Test
    void aServerEventKeepsItsHostOsOffThePersonButNotItsCampaign() {
        ObjectNode properties = normalizedProperties(event("order_paid").properties(
                "{'$is_server':true,'$os':'Linux','$os_version':'5.15.0','utm_source':'newsletter'}"));

        assertThat(properties.get("$set")).isEqualTo(json("{'utm_source':'newsletter'}"));
        assertThat(properties.get("$set_once")).isEqualTo(json("{'$initial_utm_source':'newsletter'}"));
        ObjectNode client = normalizedProperties(event("x").properties("{'$is_server':false,'$os':'Linux'}"));
        assertThat(client.get("$set_once")).isEqualTo(json("{'$initial_os':'Linux'}"));
    }

    @Test
    void eventToPersonPropertiesKeepTheirJsonType() {
        ObjectNode properties = normalizedProperties(event("$pageview").properties("{'$screen_width':1920}"));

        assertThat(properties.get("$set").get("$screen_width")).isEqualTo(IntNode.valueOf(1920));
        assertThat(properties.get("$set_once").get("$initial_screen_width")).isEqualTo(IntNode.valueOf(1920));
    }

    @Test
    void explicitClientValuesWinOverDerivedOnes() {
        ObjectNode properties = normalizedProperties(event("$pageview").properties(
                "{'$browser':'Chrome','$current_url':'https://a/','$set':{'$browser':'Firefox','plan':'pro'},"
                        + "'$set_once':{'$initial_browser':'Safari'}}"));

        assertThat(properties.get("$set")).isEqualTo(json("{'$browser':'Firefox','$current_url':'https://a/','plan':'pro'}"));
        assertThat(properties.get("$set_once"))
                .isEqualTo(json("{'$initial_browser':'Safari','$initial_current_url':'https://a/'}"));
    }

    @Test
    void topLevelSetAlsoWinsOverDerivedValues() {
        ObjectNode properties = normalizedProperties(event("$pageview").properties("{'$browser':'Chrome'}")
                .top("$set", "{'$browser':'Edge'}"));

        assertThat(properties.get("$set").get("$browser").asString()).isEqualTo("Edge");
        assertThat(properties.get("$set_once").get("$initial_browser").asString()).isEqualTo("Chrome");
    }

    @Test
    void propertiesOutsideTheListAreNotCopiedToThePerson() {
        ObjectNode properties = normalizedProperties(event("$pageview").properties("{'utm_id':'x','$lib':'web'}"));

        assertThat(properties.has("$set")).isFalse();
        assertThat(properties.has("$set_once")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"$snapshot", "$performance_event"})
    void snapshotAndPerformanceEventsGetNoPersonProperties(String name) {
        ObjectNode properties = normalizedProperties(event(name).properties("{'$browser':'Chrome'}"));

        assertThat(properties.has("$set")).isFalse();
        assertThat(properties.has("$set_once")).isFalse();
    }

    @Test
    void osNameFillsOsAsAnAliasAndIsNotKeptOnThePerson() {
        ObjectNode properties = normalizedProperties(event("$pageview").properties("{'$os_name':'iOS'}"));

        assertThat(properties.get("$os").asString()).isEqualTo("iOS");
        assertThat(properties.get("$set")).isEqualTo(json("{'$os':'iOS'}"));
        assertThat(properties.get("$set_once")).isEqualTo(json("{'$initial_os':'iOS'}"));
    }

    @Test
    void osNameDoesNotReplaceAnOsThatIsPresent() {
        ObjectNode properties = normalizedProperties(event("$pageview").properties("{'$os':'Mac OS X','$os_name':'macOS'}"));

        assertThat(properties.get("$os").asString()).isEqualTo("Mac OS X");
        assertThat(properties.get("$set")).isEqualTo(json("{'$os':'Mac OS X'}"));
        assertThat(properties.get("$set_once")).isEqualTo(json("{'$initial_os':'Mac OS X'}"));
    }

    @Test
    void osNameAliasDoesNotReplaceAnExplicitSetOs() {
        ObjectNode properties = normalizedProperties(event("$pageview").properties(
                "{'$os_name':'iOS','$set':{'$os':'Android','$os_name':'x'},'$set_once':{'$initial_os_name':'y'}}"));

        assertThat(properties.get("$set")).isEqualTo(json("{'$os':'Android'}"));
        assertThat(properties.get("$set_once")).isEqualTo(json("{'$initial_os':'iOS'}"));
    }

    @Test
    void explicitSetOsNameIsKeptWhenTheEventHasNoOsNameProperty() {
        ObjectNode properties = normalizedProperties(event("$pageview").properties(
                "{'$browser':'Chrome','$set':{'$os_name':'custom'},'$set_once':{'$initial_os_name':'first'}}"));

        assertThat(properties.get("$set")).isEqualTo(json("{'$browser':'Chrome','$os_name':'custom'}"));
        assertThat(properties.get("$set_once")).isEqualTo(json("{'$initial_browser':'Chrome','$initial_os_name':'first'}"));
    }

    @Test
    void sentAtIsCopiedIntoProperties() {
        assertThat(normalizedProperties(event("custom").sentAt("2021-10-29T01:00:00.000Z")).get("$sent_at").asString())
                .isEqualTo("2021-10-29T01:00:00.000Z");
        assertThat(normalizedProperties(event("custom").sentAt(null)).has("$sent_at")).isFalse();
    }

    @Test
    void nonStringEventNameBecomesItsJsonText() {
        assertThat(normalize(event("x").eventNode(IntNode.valueOf(123))).eventName()).isEqualTo("123");
        assertThat(normalize(event("x").eventNode(json("{'a':1}"))).eventName()).isEqualTo("{\"a\":1}");
        assertThat(normalize(event("x").eventNode(json("{'a':1}"))).data().get("event").isString()).isTrue();
    }

    @Test
    void eventNameIsTruncatedTo200Characters() {
        assertThat(normalize(event("e".repeat(250))).eventName()).isEqualTo("e".repeat(200));
        assertThat(normalize(event("e".repeat(200))).eventName()).isEqualTo("e".repeat(200));
    }

    @Test
    void anonymizeIpsRemovesTheIpWhereverItCameFrom() {
        Events.Builder anonymous = event("custom").team(Events.team(true, false)).ip("10.1.2.3");

        assertThat(normalizedProperties(anonymous).has("$ip")).isFalse();
        assertThat(normalizedProperties(anonymous.properties("{'$ip':'1.1.1.1'}")).has("$ip")).isFalse();
    }

    @Test
    void personlessEventsLoseEveryPersonOperationAndAreMarked() {
        EventContext context = normalize(event("$pageview").processPerson(false)
                .properties("{'$browser':'Chrome','$set':{'a':1},'$set_once':{'b':1},'$unset':['c'],'other':1}")
                .top("$set", "{'d':1}").top("$set_once", "{'e':1}").top("$unset", json("{'f':1}")));

        assertThat(context.properties())
                .isEqualTo(json("{'$browser':'Chrome','other':1,'$ip':'127.0.0.1','$process_person_profile':false}"));
        assertThat(context.data().has("$set")).isFalse();
        assertThat(context.data().has("$set_once")).isFalse();
        assertThat(context.data().has("$unset")).isFalse();
    }

    @Test
    void groupIdentifyLosesPersonOperationsEvenWithPersonProcessing() {
        EventContext context = normalize(event("$groupidentify")
                .properties("{'$group_type':'org','$group_key':'k','$browser':'Chrome','$set':{'a':1},'$unset':['c']}")
                .top("$set_once", "{'e':1}"));

        assertThat(context.properties().has("$set")).isFalse();
        assertThat(context.properties().has("$set_once")).isFalse();
        assertThat(context.properties().has("$unset")).isFalse();
        assertThat(context.properties().has("$process_person_profile")).isFalse();
        assertThat(context.data().has("$set_once")).isFalse();
        assertThat(context.properties().get("$group_key").asString()).isEqualTo("k");
    }

    @Test
    void personProcessingRemovesTheProcessPersonProfileProperty() {
        ObjectNode properties = normalizedProperties(event("custom").properties("{'$process_person_profile':true}"));

        assertThat(properties.has("$process_person_profile")).isFalse();
    }

    @Test
    void personProcessingKeepsUnset() {
        ObjectNode properties = normalizedProperties(event("custom").properties("{'$unset':['a']}"));

        assertThat(properties.get("$unset")).isEqualTo(json("{'x':['a']}").get("x"));
    }
}
