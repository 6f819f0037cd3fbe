package dev.ingest.decide.auth;

import java.util.Optional;

/**
 * Personal API keys ({@code phx_...}): the management API and local evaluation authenticate with them
 * ({@code Authorization: Bearer <key>}). Keys are stored hashed; a key is scoped to the projects it was created for.
 */
public interface PersonalApiKeys {
    /** The scope of a presented key, or empty when it is unknown (a 401). */
    Optional<ApiKeyScope> authenticate(String presentedKey);
}
