package dev.ingest.decide.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ingest.decide.config.DecideProperties;
import dev.ingest.decide.store.ApiKeyRepository;
import dev.ingest.decide.store.ApiKeyRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.unit.DataSize;

class JdbcPersonalApiKeysTest {
    private static final String STORED_KEY = "phx_stored";

    /** A repository that knows one key, by its hash, and records uses. */
    private static final class FakeKeys extends ApiKeyRepository {
        final List<Long> touched = new ArrayList<>();

        FakeKeys() {
            super(new JdbcTemplate());
        }

        @Override
        public Optional<ApiKeyRow> findBySecureValue(String secureValue) {
            return secureValue.equals(PersonalApiKeyValues.hash(STORED_KEY))
                    ? Optional.of(new ApiKeyRow(7, "ci", "phx_...ored", Set.of(3L), Instant.EPOCH, null))
                    : Optional.empty();
        }

        @Override
        public void touch(long id) {
            touched.add(id);
        }
    }

    private static DecideProperties properties(String bootstrapKey) {
        return new DecideProperties(bootstrapKey, Duration.ofMillis(500), DataSize.ofMegabytes(1),
                new DecideProperties.Cors(true), new DecideProperties.Memory(0.4, DataSize.ofMegabytes(96),
                        Duration.ofSeconds(30), Duration.ofSeconds(2)));
    }

    @Test
    void theBootstrapKeyIsValidForEveryProjectWithKeyIdZero() {
        var keys = new JdbcPersonalApiKeys(new FakeKeys(), properties("phx_boot"));

        assertThat(keys.authenticate("phx_boot")).contains(new ApiKeyScope(0, null));
        assertThat(keys.authenticate("phx_boo")).isEmpty();
    }

    @Test
    void storedKeysAreFoundByTheirHashAndTheirUseRecorded() {
        FakeKeys stored = new FakeKeys();
        var keys = new JdbcPersonalApiKeys(stored, properties("phx_boot"));

        assertThat(keys.authenticate(STORED_KEY)).contains(new ApiKeyScope(7, Set.of(3L)));
        assertThat(stored.touched).containsExactly(7L);
        assertThat(keys.authenticate("phx_other")).isEmpty();
    }

    @Test
    void anEmptyBootstrapKeyDisablesIt() {
        var keys = new JdbcPersonalApiKeys(new FakeKeys(), properties(""));

        assertThat(keys.authenticate("")).isEmpty();
        assertThat(keys.authenticate(null)).isEmpty();
        assertThat(keys.authenticate(" ")).isEmpty();
    }
}
