package dev.ingest.decide.api;

import static dev.ingest.decide.api.ApiExceptions.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestJsonTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void emptyBodyIsAnEmptyObject() {
        assertThat(RequestJson.object(new byte[0]).isEmpty()).isTrue();
        assertThat(RequestJson.object(null).isEmpty()).isTrue();
    }

    @Test
    void malformedOrNonObjectBodiesAreParseErrors() {
        for (String body : new String[] {"{", "[1]", "\"x\"", "{\"a\":NaN}", "{\"a\":1,\"a\":2}", "{} x"}) {
            assertThatThrownBy(() -> RequestJson.object(bytes(body)))
                    .as(body)
                    .isInstanceOf(ApiException.class)
                    .hasFieldOrPropertyWithValue("status", 400)
                    .hasFieldOrPropertyWithValue("code", "parse_error");
        }
    }

    @Test
    void aNulCharacterAnywhereIsRefusedNamingTheTopLevelField() {
        // PostgreSQL stores no NUL in text or JSONB: this would otherwise be a 500.
        assertInvalid(() -> RequestJson.object(bytes("{\"name\":\"a\\u0000b\"}")), "name");
        assertInvalid(() -> RequestJson.object(bytes("{\"filters\":{\"groups\":[{\"x\\u0000\":1}]}}")), "filters");
    }

    @Test
    void booleansAcceptWhatDjangoRestFrameworkAccepts() {
        var body = RequestJson.object(bytes("{\"a\":true,\"b\":\"false\",\"c\":1,\"d\":\"yes\",\"e\":null}"));

        assertThat(RequestJson.bool(body, "a")).isTrue();
        assertThat(RequestJson.bool(body, "b")).isFalse();
        assertThat(RequestJson.bool(body, "c")).isTrue();
        assertThat(RequestJson.bool(body, "missing")).isNull();
        assertInvalid(() -> RequestJson.bool(body, "d"), "d");
        assertInvalid(() -> RequestJson.bool(body, "e"), "e");
    }
}
