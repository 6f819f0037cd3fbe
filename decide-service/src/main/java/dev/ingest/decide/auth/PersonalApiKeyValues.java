package dev.ingest.decide.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** How personal API keys look, are generated, hashed for storage and masked for display. */
public final class PersonalApiKeyValues {
    public static final String PREFIX = "phx_";
    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    /** 43 alphanumerics: about 256 bits, like PostHog's 32 random bytes. */
    private static final int RANDOM_CHARS = 43;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PersonalApiKeyValues() {}

    /** A new key: {@code phx_} and 43 random alphanumerics. */
    public static String generate() {
        StringBuilder key = new StringBuilder(PREFIX);
        for (int i = 0; i < RANDOM_CHARS; i++) {
            key.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return key.toString();
    }

    /** What is stored in {@code secure_value}: the SHA-256 of the key's UTF-8 bytes, as lower-case hex. */
    public static String hash(String key) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha256.digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** PostHog's mask: the first four and last four characters ({@code phx_...a1B2}); safe to show and log. */
    public static String mask(String key) {
        if (key == null || key.length() < 12) {
            return "****";
        }
        return key.substring(0, 4) + "..." + key.substring(key.length() - 4);
    }

    /**
     * The key of an {@code Authorization: Bearer <key>} header (scheme case-insensitive), or null when the header is
     * missing, of another scheme, or empty.
     */
    public static String fromAuthorizationHeader(String header) {
        if (header == null) {
            return null;
        }
        String trimmed = header.strip();
        if (trimmed.length() <= 7 || !trimmed.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String key = trimmed.substring(7).strip();
        return key.isEmpty() ? null : key;
    }
}
