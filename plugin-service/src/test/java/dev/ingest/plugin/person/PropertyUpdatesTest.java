package dev.ingest.plugin.person;

import static dev.ingest.plugin.testing.Events.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.plugin.person.PropertyUpdates.Applied;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

/** PostHog's computeEventPropertyUpdates (docs/posthog-compatibility.md#person-properties). */
class PropertyUpdatesTest {
    private static PropertyUpdates updates(String properties) {
        return PropertyUpdates.fromProperties(json(properties));
    }

    @Test
    void readsSetSetOnceAndUnsetArray() {
        PropertyUpdates updates = updates("{'$set':{'a':1},'$set_once':{'b':2},'$unset':['c','d'],'other':true}");

        assertThat(updates.set()).isEqualTo(json("{'a':1}"));
        assertThat(updates.setOnce()).isEqualTo(json("{'b':2}"));
        assertThat(updates.unset()).containsExactly("c", "d");
        assertThat(updates.isEmpty()).isFalse();
    }

    @Test
    void unsetGivenAsAnObjectUsesItsKeys() {
        assertThat(updates("{'$unset':{'c':null,'d':'whatever'}}").unset()).containsExactly("c", "d");
    }

    @Test
    void unsetArrayIgnoresEntriesThatAreNotKeys() {
        assertThat(updates("{'$unset':['c',1,null,{'x':1}]}").unset()).containsExactly("c");
    }

    @Test
    void missingOrMalformedOperationsAreEmpty() {
        assertThat(updates("{}").isEmpty()).isTrue();
        assertThat(updates("{'$set':'not an object','$set_once':[1],'$unset':'c'}").isEmpty()).isTrue();
        assertThat(PropertyUpdates.NONE.isEmpty()).isTrue();
    }

    @Test
    void setOnceSetsAKeyThePersonLacks() {
        Applied applied = updates("{'$set_once':{'a':1}}").applyTo(json("{'b':2}"));

        assertThat(applied.properties()).isEqualTo(json("{'b':2,'a':1}"));
        assertThat(applied.changed()).isTrue();
    }

    @Test
    void setOnceNeverOverwritesAnExistingKey() {
        Applied applied = updates("{'$set_once':{'a':1}}").applyTo(json("{'a':'old'}"));

        assertThat(applied.properties()).isEqualTo(json("{'a':'old'}"));
        assertThat(applied.changed()).isFalse();
    }

    @Test
    void setOnceTreatsAStoredNullAsPresent() {
        Applied applied = updates("{'$set_once':{'a':1}}").applyTo(json("{'a':null}"));

        assertThat(applied.properties()).isEqualTo(json("{'a':null}"));
        assertThat(applied.changed()).isFalse();
    }

    @Test
    void setWritesNewAndDifferentValues() {
        Applied applied = updates("{'$set':{'a':2,'b':'new'}}").applyTo(json("{'a':1}"));

        assertThat(applied.properties()).isEqualTo(json("{'a':2,'b':'new'}"));
        assertThat(applied.changed()).isTrue();
    }

    @Test
    void setOfAnEqualScalarIsNoChange() {
        Applied applied = updates("{'$set':{'a':1,'b':'x','c':true,'d':null}}")
                .applyTo(json("{'a':1,'b':'x','c':true,'d':null}"));

        assertThat(applied.properties()).isEqualTo(json("{'a':1,'b':'x','c':true,'d':null}"));
        assertThat(applied.changed()).isFalse();
    }

    @Test
    void setOfAnEqualObjectOrArrayStillCountsAsAChange() {
        assertThat(updates("{'$set':{'o':{'x':1}}}").applyTo(json("{'o':{'x':1}}")).changed()).isTrue();
        assertThat(updates("{'$set':{'l':[1,2]}}").applyTo(json("{'l':[1,2]}")).changed()).isTrue();
    }

    @Test
    void setReplacesAStoredNullAndAStoredObjectWithAScalar() {
        Applied applied = updates("{'$set':{'a':1,'o':'flat'}}").applyTo(json("{'a':null,'o':{'x':1}}"));

        assertThat(applied.properties()).isEqualTo(json("{'a':1,'o':'flat'}"));
        assertThat(applied.changed()).isTrue();
    }

    @Test
    void unsetRemovesPresentKeysIncludingStoredNulls() {
        Applied applied = updates("{'$unset':['a','n']}").applyTo(json("{'a':1,'n':null,'b':2}"));

        assertThat(applied.properties()).isEqualTo(json("{'b':2}"));
        assertThat(applied.changed()).isTrue();
    }

    @Test
    void unsetOfAnAbsentKeyIsNoChange() {
        Applied applied = updates("{'$unset':['missing']}").applyTo(json("{'b':2}"));

        assertThat(applied.properties()).isEqualTo(json("{'b':2}"));
        assertThat(applied.changed()).isFalse();
    }

    @Test
    void setWinsOverSetOnceForTheSameKey() {
        Applied applied = updates("{'$set_once':{'a':'once'},'$set':{'a':'set'}}").applyTo(json("{}"));

        assertThat(applied.properties()).isEqualTo(json("{'a':'set'}"));
    }

    @Test
    void unsetIsAppliedLastSoItRemovesKeysJustSet() {
        Applied applied = updates("{'$set_once':{'a':1},'$set':{'b':2},'$unset':['a','b']}").applyTo(json("{'c':3}"));

        assertThat(applied.properties()).isEqualTo(json("{'c':3}"));
        assertThat(applied.changed()).isTrue();
    }

    @Test
    void applyingLeavesTheCurrentPropertiesUntouched() {
        ObjectNode current = json("{'a':1,'b':2}");

        updates("{'$set':{'a':9},'$set_once':{'c':3},'$unset':['b']}").applyTo(current);

        assertThat(current).isEqualTo(json("{'a':1,'b':2}"));
    }

    @Test
    void noOperationsChangeNothing() {
        Applied applied = PropertyUpdates.NONE.applyTo(json("{'a':1}"));

        assertThat(applied.properties()).isEqualTo(json("{'a':1}"));
        assertThat(applied.changed()).isFalse();
    }

    @Test
    void initialPropertiesAreSetOnceOverlaidBySet() {
        ObjectNode initial = updates("{'$set_once':{'a':'once','b':'once'},'$set':{'b':'set','c':'set'}}")
                .initialProperties();

        assertThat(initial).isEqualTo(json("{'a':'once','b':'set','c':'set'}"));
    }

    @Test
    void initialPropertiesIgnoreUnsetLikePostHogsCreatePerson() {
        ObjectNode initial = updates("{'$set_once':{'a':1},'$set':{'b':2},'$unset':['a','b']}").initialProperties();

        assertThat(initial).isEqualTo(json("{'a':1,'b':2}"));
    }

    @Test
    void initialPropertiesAreAFreshObject() {
        PropertyUpdates updates = updates("{'$set':{'b':2}}");

        updates.initialProperties().put("$creator_event_uuid", "x");

        assertThat(updates.set()).isEqualTo(json("{'b':2}"));
        assertThat(updates.initialProperties()).isEqualTo(json("{'b':2}"));
    }

    @Test
    void nothingToChangeGivesBackTheSamePropertiesUncopiedAndAChangeLeavesTheInputAlone() {
        ObjectNode current = json("{'$browser':'Chrome','a':1}");

        Applied same = updates("{'$set':{'$browser':'Chrome'},'$set_once':{'a':2},'$unset':['missing']}").applyTo(current);
        Applied changed = updates("{'$set':{'$browser':'Firefox'}}").applyTo(current);

        assertThat(same.changed()).isFalse();
        assertThat(same.properties()).isSameAs(current);
        assertThat(changed.changed()).isTrue();
        assertThat(changed.properties()).isNotSameAs(current);
        assertThat(current.get("$browser").asString()).isEqualTo("Chrome");
    }

    /** PostHog's batch rule for lean writes: which changes deserve a write on their own (PostHog's own cases). */
    @ParameterizedTest(name = "{0} {1} on {2}: written {3}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            $pageview | {'$set':{'$browser':'Chrome'}}                           | {'$browser':'Firefox'}                  | false
            $pageview | {'$set':{'$browser':'Chrome'}}                           | {}                                      | true
            $pageview | {'$set':{'$current_url':'https://b/','$pathname':'/b'}}  | {'$current_url':'https://a/','$pathname':'/a'} | false
            $pageview | {'$set':{'$geoip_latitude':37.77}}                       | {'$geoip_latitude':40.71}               | false
            $pageview | {'$set':{'$geoip_city_name':'Paris'}}                    | {'$geoip_city_name':'London'}           | true
            $pageview | {'$set':{'$geoip_country_name':'France'}}                | {'$geoip_country_name':'UK'}            | true
            $pageview | {'$set':{'utm_source':'ads'}}                            | {'utm_source':'mail'}                   | true
            $pageview | {'$set':{'$browser':'Chrome','plan':'pro'}}              | {'$browser':'Firefox','plan':'free'}    | true
            $pageview | {'$set_once':{'$initial_browser':'Chrome'}}              | {}                                      | true
            $pageview | {'$set':{'$os':'iOS'},'$unset':['old']}                  | {'$os':'Android','old':1}               | true
            $identify | {'$set':{'$browser':'Chrome'}}                           | {'$browser':'Firefox'}                  | true
            $set      | {'$set':{'$current_url':'https://b/'}}                   | {'$current_url':'https://a/'}           | true
            """)
    void onlyFrequentlyChangingKeysChangingIsNotWorthAWrite(String event, String properties, String current,
            boolean written) {
        Applied applied = PropertyUpdates.of(event, json(properties)).applyTo(json(current));

        assertThat(applied.changed()).isTrue();
        assertThat(applied.worthWriting()).isEqualTo(written);
    }

    @Test
    void aFilteredChangeStillAppearsInThePropertiesItIsJustNotWorthAWrite() {
        Applied applied = PropertyUpdates.of("$pageview", json("{'$set':{'$current_url':'https://b/'}}"))
                .applyTo(json("{'$current_url':'https://a/'}"));

        assertThat(applied.properties()).isEqualTo(json("{'$current_url':'https://b/'}"));
        assertThat(applied.worthWriting()).isFalse();
    }

    @Test
    void aKeyInBothSetOnceAndSetCountsAsTheSetsChange() {
        Applied applied = PropertyUpdates.of("$pageview", json("{'$set_once':{'$browser':'Chrome'},'$set':{'$browser':'Edge'}}"))
                .applyTo(json("{}"));

        assertThat(applied.properties()).isEqualTo(json("{'$browser':'Edge'}"));
        assertThat(applied.worthWriting()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"$exception", "$$heatmap"})
    void eventsPostHogProcessesApartNeverChangeThePerson(String event) {
        assertThat(PropertyUpdates.of(event, json("{'$set':{'a':1},'$unset':['b']}")).isEmpty()).isTrue();
    }
}
