package dev.ingest.decide.flags;

import static dev.ingest.decide.flags.FlagFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class EvaluationContextTest {

    @Test
    void groupPropertiesCarryTheGroupKey() {
        EvaluationContext context = EvaluationContext.builder("u")
                .group(0, "company", "acme")
                .groupProperties("company", json("{'plan': 'pro'}"))
                .build();
        assertThat(context.groupKey(0)).contains("acme");
        assertThat(context.groupKey(1)).isEmpty();
        assertThat(context.groupPropertiesFor(0)).containsOnlyKeys("plan", "$group_key");
        assertThat(context.groupPropertiesFor(0).get("$group_key")).isEqualTo(json("'acme'"));
        assertThat(context.groupPropertiesFor(1)).isEmpty();
    }

    @Test
    void anExplicitGroupKeyPropertyWins() {
        EvaluationContext context = EvaluationContext.builder("u")
                .group(0, "company", "acme")
                .groupProperties("company", json("{'$group_key': 'given'}"))
                .build();
        assertThat(context.groupPropertiesFor(0).get("$group_key")).isEqualTo(json("'given'"));
    }

    @Test
    void javaNullPropertyValuesBecomeJsonNull() {
        Map<String, JsonNode> props = new HashMap<>();
        props.put("gone", null);
        EvaluationContext context = EvaluationContext.builder("u").personProperties(props).build();
        assertThat(context.personProperties().get("gone").isNull()).isTrue();
    }

    @Test
    void theContextIsAnImmutableSnapshot() {
        Map<String, JsonNode> props = new HashMap<>();
        props.put("a", json("1"));
        EvaluationContext context = new EvaluationContext("u", null, props, null, null, null, null, null, null);
        props.put("b", json("2"));
        assertThat(context.personProperties()).containsOnlyKeys("a");
        assertThat(context.cohorts()).isSameAs(CohortResolver.NONE);
        assertThat(context.clock()).isNotNull();
        assertThatThrownBy(() -> context.personProperties().put("c", json("3")))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aDistinctIdIsRequired() {
        assertThatThrownBy(() -> EvaluationContext.builder(null).build()).isInstanceOf(NullPointerException.class);
    }
}
