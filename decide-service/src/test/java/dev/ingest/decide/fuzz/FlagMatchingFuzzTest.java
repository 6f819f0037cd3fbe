package dev.ingest.decide.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ingest.common.json.Json;
import dev.ingest.decide.flags.EvaluationContext;
import dev.ingest.decide.flags.FeatureFlag;
import dev.ingest.decide.flags.FlagMatcher;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Flag definitions and person properties from anywhere (the management API, the SDKs) never crash evaluation:
 * a definition is either read or refused with IllegalArgumentException, and evaluating a read one never throws.
 * Fuzz for real with {@code JAZZER_FUZZ=1 ./mvnw -pl decide-service test -Dtest=FlagMatchingFuzzTest}.
 */
class FlagMatchingFuzzTest {
    private static final String[] OPERATORS = {"exact", "is_not", "icontains", "not_icontains", "regex", "not_regex", "gt",
        "gte", "lt", "lte", "is_set", "is_not_set", "is_date_before", "is_date_after", "is_date_exact", "semver_gt",
        "semver_caret", "starts_with", "icontains_multi", "in", "bogus"};

    @FuzzTest(maxDuration = "10s")
    void evaluatingAnyFlagOnAnyPropertiesNeverThrows(FuzzedDataProvider data) {
        String operator = data.pickValue(OPERATORS);
        String filterValue = Json.write(data.consumeString(40));
        String rollout = data.consumeBoolean() ? Double.toString(data.consumeDouble()) : "null";
        String definition = "{\"key\":\"f\",\"filters\":{\"groups\":[{\"properties\":[{\"key\":\"p\",\"operator\":\"" + operator
                + "\",\"value\":" + (data.consumeBoolean() ? filterValue : data.consumeString(30)) + ",\"type\":\"person\"}],"
                + "\"rollout_percentage\":" + rollout + "}]}}";
        JsonNode flagJson;
        try {
            flagJson = Json.read(definition);
        } catch (JacksonException e) {
            return;
        }
        FeatureFlag flag;
        try {
            flag = FeatureFlag.fromJson(flagJson);
        } catch (IllegalArgumentException refused) {
            return;
        }
        String propertyJson = data.consumeRemainingAsString();
        JsonNode property;
        try {
            property = Json.read(propertyJson.isEmpty() ? "null" : propertyJson);
        } catch (JacksonException e) {
            property = Json.read(Json.write(propertyJson));
        }
        FlagMatcher.evaluate(flag, EvaluationContext.builder("fuzz").personProperty("p", property).build());
    }
}
