package dev.ingest.decide.auth;

import java.util.Set;

/**
 * What a personal API key may act on.
 *
 * @param keyId the key's row id, or 0 for the bootstrap key from configuration
 * @param teams the projects the key is scoped to; null means every project
 */
public record ApiKeyScope(long keyId, Set<Long> teams) {
    public boolean allows(long teamId) {
        return teams == null || teams.contains(teamId);
    }
}
