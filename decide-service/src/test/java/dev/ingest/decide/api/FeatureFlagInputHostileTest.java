package dev.ingest.decide.api;

import static dev.ingest.decide.api.ApiExceptions.assertInvalid;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Found by HostileInputIT: a rollout percentage Jackson reads as an infinite double was a 500. */
class FeatureFlagInputHostileTest {
    @ParameterizedTest
    @ValueSource(strings = {"1e999", "-1e999"})
    void anInfiniteRolloutPercentageIsA400NamingTheFilters(String percentage) {
        String json = "{\"key\":\"ok\",\"filters\":{\"groups\":[{\"rollout_percentage\":" + percentage + "}]}}";

        assertInvalid(() -> FeatureFlagInput.forCreate(RequestJson.object(json.getBytes(StandardCharsets.UTF_8))),
                "filters");
    }
}
