package dev.ingest.decide.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PersonalApiKeyValuesTest {

    @Test
    void generatesPhxKeysOfRandomAlphanumerics() {
        String key = PersonalApiKeyValues.generate();

        assertThat(key).matches("phx_[A-Za-z0-9]{43}");
        assertThat(PersonalApiKeyValues.generate()).isNotEqualTo(key);
    }

    @Test
    void hashesWithSha256Hex() {
        // sha256("abc"), the FIPS 180-2 test vector.
        assertThat(PersonalApiKeyValues.hash("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void masksAllButTheFirstAndLastFourCharacters() {
        assertThat(PersonalApiKeyValues.mask("phx_abcdefghijklmnopWXYZ")).isEqualTo("phx_...WXYZ");
        assertThat(PersonalApiKeyValues.mask("short")).isEqualTo("****");
        assertThat(PersonalApiKeyValues.mask(null)).isEqualTo("****");
    }

    @Test
    void readsBearerHeaders() {
        assertThat(PersonalApiKeyValues.fromAuthorizationHeader("Bearer phx_k")).isEqualTo("phx_k");
        assertThat(PersonalApiKeyValues.fromAuthorizationHeader("bearer   phx_k ")).isEqualTo("phx_k");
        assertThat(PersonalApiKeyValues.fromAuthorizationHeader("Basic dXNlcg==")).isNull();
        assertThat(PersonalApiKeyValues.fromAuthorizationHeader("Bearer ")).isNull();
        assertThat(PersonalApiKeyValues.fromAuthorizationHeader("Bearerphx_k")).isNull();
        assertThat(PersonalApiKeyValues.fromAuthorizationHeader(null)).isNull();
    }
}
