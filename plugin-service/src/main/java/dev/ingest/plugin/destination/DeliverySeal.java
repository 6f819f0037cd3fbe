package dev.ingest.plugin.destination;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals what a delivery must not carry in clear through the retry and dead-letter topics: its request headers, where
 * destinations keep their credentials (Customer.io's basic authorization, a webhook's token). AES-256-GCM with a key
 * derived (SHA-256) from the operator's secret ({@code ingest.plugin.destinations.secret-key}); a fresh random IV per
 * message, so equal headers never look equal on the topic. Anyone who can read the topics but not the service's
 * configuration learns nothing of them, and a changed record fails to open instead of being sent.
 */
public final class DeliverySeal {
    private static final String PREFIX = "v1.";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    private DeliverySeal(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** A seal whose key is derived from {@code secret} (any text; ./platform generates 32 random characters). */
    public static DeliverySeal fromSecret(String secret) {
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("the destinations secret key is empty");
        }
        try {
            return new DeliverySeal(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A seal with a key only this process knows: what it seals cannot be opened after a restart. */
    public static DeliverySeal withRandomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new DeliverySeal(key);
    }

    String seal(String plain) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv)
                    .put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing failed", e);
        }
    }

    /** The text sealed by {@link #seal}; {@link IllegalArgumentException} when it was sealed with another key or changed. */
    String open(String sealed) {
        if (sealed == null || !sealed.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not sealed headers");
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, IV_BYTES));
            return new String(cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("the delivery's sealed headers cannot be opened (sealed with another"
                    + " ingest.plugin.destinations.secret-key, or changed)", e);
        }
    }
}
