package dev.ingest.decide.flags;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.common.json.Json;
import java.util.OptionalDouble;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Property values as text and as numbers, the way PostHog's flags service (serde_json, Rust f64) sees them. */
class JsonValuesTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            "plain"                 | plain
            null                    | null
            true                    | true
            1                       | 1
            -7                      | -7
            1.0                     | 1.0
            1.50                    | 1.5
            100000                  | 100000
            1e5                     | 100000.0
            1e16                    | 1e16
            1.5e16                  | 1.5e16
            1e15                    | 1000000000000000.0
            0.0001                  | 0.0001
            0.00001                 | 0.00001
            0.000001                | 1e-6
            1.234e-7                | 1.234e-7
            -0.0                    | -0.0
            18446744073709551615    | 18446744073709551615
            {"b": 1, "a": [1, "x"]} | {"a":[1,"x"],"b":1}
            ["a\\"b", "\\u0001", "é"] | ["a\\"b","\\u0001","é"]
            """)
    void textIsSerdeJsonsText(String json, String expected) {
        assertThat(JsonValues.text(Json.read(json))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NONE", textBlock = """
            5       | 5.0
            +5      | 5.0
            5.      | 5.0
            .5      | 0.5
            1e3     | 1000.0
            1E-2    | 0.01
            inf     | Infinity
            -Infinity | -Infinity
            NaN     | NaN
            ' 5'    | NONE
            5e      | NONE
            0x10    | NONE
            1_000   | NONE
            ''      | NONE
            .       | NONE
            """)
    void numbersFollowRustsFloatGrammar(String text, String expected) {
        OptionalDouble parsed = JsonValues.parseRustFloat(text);
        if (expected == null) {
            assertThat(parsed).isEmpty();
        } else {
            assertThat(parsed).hasValue(Double.parseDouble(expected));
        }
    }
}
