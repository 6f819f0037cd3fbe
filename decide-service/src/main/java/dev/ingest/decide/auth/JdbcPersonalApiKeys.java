package dev.ingest.decide.auth;

import dev.ingest.decide.config.DecideProperties;
import dev.ingest.decide.store.ApiKeyRepository;
import dev.ingest.decide.store.ApiKeyRow;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Personal API keys from PostgreSQL ({@code personal_api_key}, looked up by the SHA-256 of the presented key), plus
 * the bootstrap key from configuration, which is valid for every project and has key id 0.
 */
@Component
public class JdbcPersonalApiKeys implements PersonalApiKeys {
    /** Longer values are not keys we issued; they are refused before hashing. */
    private static final int MAX_KEY_LENGTH = 200;

    private final ApiKeyRepository keys;
    private final byte[] bootstrapKey;

    public JdbcPersonalApiKeys(ApiKeyRepository keys, DecideProperties properties) {
        this.keys = Objects.requireNonNull(keys, "keys is null");
        String bootstrap = properties.bootstrapPersonalApiKey();
        this.bootstrapKey = bootstrap == null || bootstrap.isBlank() ? null : bootstrap.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Optional<ApiKeyScope> authenticate(String presentedKey) {
        if (presentedKey == null || presentedKey.isEmpty() || presentedKey.length() > MAX_KEY_LENGTH) {
            return Optional.empty();
        }
        // Constant-time comparison: the bootstrap key may act on every project.
        if (bootstrapKey != null && MessageDigest.isEqual(bootstrapKey, presentedKey.getBytes(StandardCharsets.UTF_8))) {
            return Optional.of(new ApiKeyScope(0, null));
        }
        Optional<ApiKeyRow> row = keys.findBySecureValue(PersonalApiKeyValues.hash(presentedKey));
        row.ifPresent(key -> keys.touch(key.id()));
        return row.map(key -> new ApiKeyScope(key.id(), key.scopedTeams()));
    }
}
