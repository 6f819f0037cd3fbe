package dev.ingest.plugin.definition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PostHog's detect_property_type cases (rust/property-defs-rs). */
class PropertyTypesTest {
    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    @ParameterizedTest(name = "{0} = {1} -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', nullValues = "none", textBlock = """
            plan                  | "pro"                         | String
            count                 | 42                            | Numeric
            ratio                 | 0.5                           | Numeric
            active                | true                          | Boolean
            active                | "true"                        | Boolean
            active                | " FALSE "                     | Boolean
            active                | "True"                        | String
            nothing               | null                          | none
            nested                | {"a":1}                       | none
            list                  | [1,2]                         | none
            utm_source            | 12345                         | String
            $initial_utm_campaign | true                          | String
            UTM_medium            | 1                             | String
            $feature/new-ui       | true                          | String
            $feature_flag_response | false                        | String
            $survey_response_2    | 5                             | String
            signed_up             | "2024-01-02T03:04:05Z"        | DateTime
            when                  | "2024-01-02"                  | DateTime
            note                  | "2024-01-02 10:11:12"         | DateTime
            note                  | "01/02/2024"                  | DateTime
            note                  | "Tue, 3 Jun 2008 11:05:30 GMT" | DateTime
            note                  | "2024-01"                     | String
            created_at            | 1796000000                    | DateTime
            created_at            | 1000                          | Numeric
            created_at            | 1796000000.5                  | Numeric
            score                 | 1796000000                    | Numeric
            updatedAt             | "2026-11-30T10:00:00+01:00"   | DateTime
            """)
    void detectsTheTypePostHogDoes(String key, String json, String type) {
        assertThat(PropertyTypes.detect(key, Json.read(json), NOW)).isEqualTo(type);
    }
}
