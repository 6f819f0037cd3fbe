package dev.ingest.plugin.apps;

import static dev.ingest.plugin.testing.Events.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class PropertyFlattenerTest {
    private static final AppContext META = new AppContext(2, "property-flattener", 0, "uuid", "user-1");

    private static ObjectNode flatten(String config, String properties) {
        ObjectNode event = json("{'event':'e','properties':" + properties + "}");
        AppResult result = PropertyFlattener.fromConfig(json(config)).processEvent(event, META);
        assertThat(result).isInstanceOf(AppResult.Keep.class);
        return (ObjectNode) ((AppResult.Keep) result).event().get("properties");
    }

    @Test
    void nestedObjectsBecomeJoinedKeys() {
        assertThat(flatten("{}", "{'a':{'b':{'c':1},'d':'x'},'top':true}"))
                .isEqualTo(json("{'top':true,'a__b__c':1,'a__d':'x'}"));
    }

    @Test
    void arraysAreFlattenedByIndexRecursively() {
        assertThat(flatten("{}", "{'list':[1,{'x':2},[3]]}"))
                .isEqualTo(json("{'list__0':1,'list__1__x':2,'list__2__0':3}"));
    }

    @Test
    void separatorIsConfigurable() {
        assertThat(flatten("{'separator':'.'}", "{'a':{'b':1}}")).isEqualTo(json("{'a.b':1}"));
    }

    @Test
    void dollarPropertiesAreLeftUntouched() {
        String properties = "{'$set':{'a':{'b':1}},'$set_once':{'x':1},'$elements':[{'tag_name':'a'}],"
                + "'$groups':{'company':'c'}}";
        assertThat(flatten("{}", properties)).isEqualTo(json(properties));
    }

    @Test
    void dollarKeysInsideUserObjectsAreFlattened() {
        assertThat(flatten("{}", "{'a':{'$b':1}}")).isEqualTo(json("{'a__$b':1}"));
    }

    @Test
    void emptyContainersAndScalarsStay() {
        assertThat(flatten("{}", "{'e':{},'l':[],'n':null,'s':'v','a':{'b':{},'c':[]}}"))
                .isEqualTo(json("{'e':{},'l':[],'n':null,'s':'v','a__b':{},'a__c':[]}"));
    }

    @Test
    void keepOriginalKeepsTheNestedValueToo() {
        assertThat(flatten("{'keep_original':true}", "{'a':{'b':1}}")).isEqualTo(json("{'a':{'b':1},'a__b':1}"));
    }

    @Test
    void flattenedKeyWinsOverAnExistingOne() {
        assertThat(flatten("{}", "{'a__b':'old','a':{'b':'new'}}")).isEqualTo(json("{'a__b':'new'}"));
    }

    @Test
    void eventWithoutNestingIsUnchanged() {
        assertThat(flatten("{}", "{'a':1,'b':'x'}")).isEqualTo(json("{'a':1,'b':'x'}"));
    }

    @Test
    void veryDeepNestingIsCutAtTheDepthLimit() {
        String deep = "1";
        for (int i = 0; i < 40; i++) {
            deep = "{'k':" + deep + "}";
        }
        ObjectNode flat = flatten("{}", "{'d':" + deep + "}");
        assertThat(flat.size()).isEqualTo(1);
        String key = flat.propertyNames().iterator().next();
        assertThat(key.split("__", -1)).hasSize(PropertyFlattener.MAX_DEPTH + 1);
        assertThat(flat.get(key).isObject()).isTrue();
    }

    @Test
    void invalidConfigIsRejected() {
        assertThatThrownBy(() -> PropertyFlattener.fromConfig(json("{'separator':''}")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PropertyFlattener.fromConfig(json("{'separator':1}")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
