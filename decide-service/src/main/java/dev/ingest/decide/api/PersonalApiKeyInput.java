package dev.ingest.decide.api;

import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code {label, scoped_teams?}}: a new personal API key.
 *
 * @param scopedTeams the projects the key may act on; null (absent, null or {@code []}, as in PostHog) means every
 *     project
 */
public record PersonalApiKeyInput(String label, Set<Long> scopedTeams) {
    static final int MAX_LABEL_LENGTH = 40;

    public static PersonalApiKeyInput forCreate(ObjectNode body) {
        String label = RequestJson.string(body, "label");
        if (label == null) {
            throw ApiException.invalid("label", "This field is required.");
        }
        if (label.isBlank()) {
            throw ApiException.invalid("label", "This field may not be blank.");
        }
        if (label.length() > MAX_LABEL_LENGTH) {
            throw ApiException.invalid("label", "Ensure this field has no more than " + MAX_LABEL_LENGTH
                    + " characters.");
        }
        return new PersonalApiKeyInput(label, scopedTeams(body.get("scoped_teams")));
    }

    private static Set<Long> scopedTeams(JsonNode teams) {
        if (teams == null || teams.isNull()) {
            return null;
        }
        if (!teams.isArray()) {
            throw ApiException.invalid("scoped_teams", "Expected a list of project ids.");
        }
        Set<Long> ids = new TreeSet<>();
        for (JsonNode team : teams) {
            if (!team.isIntegralNumber() || !team.canConvertToLong() || team.longValue() <= 0) {
                throw ApiException.invalid("scoped_teams", "Expected a list of project ids, found "
                        + PropertyTrees.abbreviate(team) + ".");
            }
            ids.add(team.longValue());
        }
        return ids.isEmpty() ? null : Set.copyOf(ids);
    }
}
