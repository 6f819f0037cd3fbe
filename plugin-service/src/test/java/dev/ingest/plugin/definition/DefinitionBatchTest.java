package dev.ingest.plugin.definition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import dev.ingest.plugin.definition.DefinitionBatch.EventKey;
import dev.ingest.plugin.definition.DefinitionBatch.EventPropertyKey;
import dev.ingest.plugin.definition.DefinitionBatch.PropertyKey;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class DefinitionBatchTest {
    private static ObjectNode json(String text) {
        return (ObjectNode) Json.read(text.replace('\'', '"'));
    }

    private static DefinitionBatch of(String event, String properties) {
        DefinitionBatch batch = new DefinitionBatch();
        batch.add(7, event, json(properties), (team, type) -> "company".equals(type) ? Optional.of(0) : Optional.empty());
        return batch;
    }

    @Test
    void anEventGivesItsNameItsPropertiesWithPairsAndItsPersonProperties() {
        DefinitionBatch batch = of("$pageview", "{'$browser':'Chrome','n':1,'$set':{'email':'a@b.c'},"
                + "'$set_once':{'$initial_browser':'Chrome'},'$groups':{'company':'acme'},'$group_0':'acme',"
                + "'$feature/beta':true}");

        assertThat(batch.events()).containsExactly(new EventKey(7, "$pageview"));
        assertThat(batch.properties().keySet()).containsExactly(
                new PropertyKey(7, DefinitionBatch.EVENT, -1, "$browser"), new PropertyKey(7, DefinitionBatch.EVENT, -1, "n"),
                new PropertyKey(7, DefinitionBatch.EVENT, -1, "$feature/beta"),
                new PropertyKey(7, DefinitionBatch.PERSON, -1, "email"),
                new PropertyKey(7, DefinitionBatch.PERSON, -1, "$initial_browser"));
        assertThat(batch.eventProperties()).as("flags keep their definition, not their event pairs").containsExactly(
                new EventPropertyKey(7, "$pageview", "$browser"), new EventPropertyKey(7, "$pageview", "n"));
    }

    @Test
    void aGroupIdentifyGivesOnlyItsGroupProperties() {
        DefinitionBatch batch = of("$groupidentify", "{'$group_type':'company','$group_key':'acme','$group_set':{'seats':5}}");

        assertThat(batch.properties().keySet()).containsExactly(new PropertyKey(7, DefinitionBatch.GROUP, 0, "seats"));
        assertThat(batch.eventProperties()).isEmpty();
        assertThat(batch.events()).containsExactly(new EventKey(7, "$groupidentify"));
    }

    @Test
    void theFirstValueOfABatchIsKeptAndRepeatsCollapse() {
        DefinitionBatch batch = new DefinitionBatch();
        batch.add(7, "e", json("{'v':1}"), (team, type) -> Optional.empty());
        batch.add(7, "e", json("{'v':'text'}"), (team, type) -> Optional.empty());

        assertThat(batch.events()).hasSize(1);
        assertThat(batch.properties()).hasSize(1).containsValue(Json.read("1"));
    }

    @Test
    void namesTooLongForPostHogAreSkippedAndNulBecomesAReplacementCharacter() {
        DefinitionBatch batch = of("e\u0000x", "{'" + "k".repeat(201) + "':1,'ok\\u0000':2}");
        assertThat(batch.events()).containsExactly(new EventKey(7, "e\uFFFDx"));
        assertThat(batch.properties().keySet()).containsExactly(new PropertyKey(7, DefinitionBatch.EVENT, -1, "ok\uFFFD"));
        assertThat(of("e".repeat(201), "{'a':1}").isEmpty()).isTrue();
        assertThat(of("$$plugin_metrics", "{'a':1}").isEmpty()).isTrue();
    }
}
