package dev.ingest.plugin.person;

import static dev.ingest.plugin.testing.Events.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

/** PostHog's person property size guard (docs/posthog-compatibility.md#person-property-size). */
class PropertySizeLimitTest {
    private static final String OVER = "x".repeat(PropertySizeLimit.MAX_BYTES);

    private static ObjectNode withBlob(String base, String blob) {
        ObjectNode properties = json(base);
        properties.put("blob", blob);
        return properties;
    }

    @Test
    void propertiesWithinTheLimitPassUntouched() {
        ObjectNode proposed = json("{'plan':'pro'}");

        PropertySizeLimit.Verdict verdict = PropertySizeLimit.check(json("{}"), proposed, Json::write);

        assertThat(verdict.allowed()).isTrue();
        assertThat(verdict.properties()).isSameAs(proposed);
    }

    @Test
    void anUpdateCrossingTheLimitIsRefusedAndTheCurrentPropertiesStay() {
        ObjectNode current = json("{'plan':'free'}");

        PropertySizeLimit.Verdict verdict = PropertySizeLimit.check(current, withBlob("{'plan':'pro'}", OVER), Json::write);

        assertThat(verdict.allowed()).isFalse();
        assertThat(verdict.trimmed()).isFalse();
        assertThat(verdict.properties()).isSameAs(current);
        assertThat(verdict.problem()).isEqualTo("Person properties exceeds size limit and was rejected");
    }

    @Test
    void aPersonAlreadyPastTheLimitIsTrimmedInNameOrderKeepingProtectedKeys() {
        ObjectNode current = json("{'email':'a@b.c','$initial_utm_source':'ads','utm_source':'ads','aaa':'first'}");
        current.put("bbb", "y".repeat(PropertySizeLimit.MAX_BYTES));
        current.put("ccc", "kept once small enough");

        PropertySizeLimit.Verdict verdict = PropertySizeLimit.check(current, withBlob("{}", OVER), Json::write);

        assertThat(verdict.trimmed()).isTrue();
        assertThat(verdict.properties().propertyNames())
                .containsExactlyInAnyOrder("email", "$initial_utm_source", "utm_source", "ccc");
        assertThat(Json.write(verdict.properties()).getBytes(StandardCharsets.UTF_8))
                .hasSizeLessThanOrEqualTo(PropertySizeLimit.TRIM_TARGET_BYTES);
    }

    @Test
    void aNewPersonPastTheLimitIsTrimmedButKeepsItsCreatorEvent() {
        ObjectNode proposed = withBlob("{'$creator_event_uuid':'e1','name':'Ada'}", OVER);

        PropertySizeLimit.Verdict verdict = PropertySizeLimit.check(null, proposed, Json::write);

        assertThat(verdict.trimmed()).isTrue();
        assertThat(verdict.properties()).isEqualTo(json("{'$creator_event_uuid':'e1','name':'Ada'}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "é", "漢字", "😀 emoji"})
    void utf8LengthMatchesTheEncoder(String text) {
        assertThat(PropertySizeLimit.utf8Length(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
    }
}
