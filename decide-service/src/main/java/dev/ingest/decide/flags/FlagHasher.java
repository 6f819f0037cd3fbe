package dev.ingest.decide.flags;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The bucketing hash shared by every PostHog engine and SDK (docs/posthog-compatibility.md#feature-flags):
 * {@code int(sha1_hex(prefix + identifier + salt)[0:15], 16) / 0xFFFFFFFFFFFFFFF}, a double in [0, 1].
 *
 * <p>The first 15 hex digits are the top 60 bits of the digest. The division is done in doubles, as the Rust
 * service and the JavaScript SDKs do (Python divides the exact integers; the two differ by at most one ulp).
 */
public final class FlagHasher {
    static final long LONG_SCALE = 0xFFFFFFFFFFFFFFFL;
    private static final String HOLDOUT_PREFIX = "holdout-";
    private static final String VARIANT_SALT = "variant";

    private FlagHasher() {}

    public static double hash(String prefix, String identifier, String salt) {
        byte[] digest = sha1().digest((prefix + identifier + salt).getBytes(StandardCharsets.UTF_8));
        long first15HexDigits = ByteBuffer.wrap(digest).getLong() >>> 4;
        return (double) first15HexDigits / (double) LONG_SCALE;
    }

    /** {@code hash(flagKey + ".", identifier)}: compared with the rollout percentage. */
    public static double rolloutHash(String flagKey, String identifier) {
        return hash(flagKey + ".", identifier, "");
    }

    /** {@code hash(flagKey + ".", identifier, "variant")}: picks the multivariate variant. */
    public static double variantHash(String flagKey, String identifier) {
        return hash(flagKey + ".", identifier, VARIANT_SALT);
    }

    /** {@code hash("holdout-", identifier)}: the same for every flag, so a person is in or out of a holdout everywhere. */
    public static double holdoutHash(String identifier) {
        return hash(HOLDOUT_PREFIX, identifier, "");
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every JVM", e);
        }
    }
}
