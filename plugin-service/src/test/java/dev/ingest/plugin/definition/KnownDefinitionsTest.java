package dev.ingest.plugin.definition;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KnownDefinitionsTest {
    @Test
    void pastItsCapacityItForgetsEverythingAndKeepsWorking() {
        KnownDefinitions known = new KnownDefinitions(4);
        known.rememberPerson(1, "a");
        known.rememberPerson(1, "b");
        known.rememberEventProperty(1, "e", "p");

        assertThat(known.personNames(1)).containsExactlyInAnyOrder("a", "b");
        known.rememberEvent(1, "other", 0);

        assertThat(known.personNames(1)).as("forgotten: one more upsert each, never a wrong row").isEmpty();
        assertThat(known.event(1, "other")).as("remembered after the reset").isNotNull();
        assertThat(known.event(1, "other").writtenInBucketOf(0)).isTrue();
    }
}
