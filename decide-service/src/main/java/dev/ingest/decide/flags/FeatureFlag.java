package dev.ingest.decide.flags;

import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * A feature flag definition as PostHog stores and serves it (spec §4.8).
 *
 * @param id database id, or null for a definition without one
 * @param version the definition's version ({@code metadata.version} of /flags v2), or null
 * @param active missing means active (the PostHog model default)
 * @param bucketingIdentifier {@code "device_id"} to bucket person flags by {@code $device_id}; null for distinct_id
 */
public record FeatureFlag(
        Long id,
        String key,
        String name,
        boolean active,
        boolean deleted,
        boolean ensureExperienceContinuity,
        Integer version,
        String bucketingIdentifier,
        FlagFilters filters) {

    public FeatureFlag {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a feature flag needs a key");
        }
        filters = filters == null ? FlagFilters.EMPTY : filters;
    }

    /**
     * Reads a definition. Unknown fields are ignored; a malformed known field (a non-numeric rollout percentage,
     * a filter without key) throws {@link IllegalArgumentException}.
     */
    public static FeatureFlag fromJson(JsonNode node) {
        JsonNode filters = node.path("filters");
        String bucketing = Nodes.text(node, "bucketing_identifier");
        if (bucketing == null && filters.isObject()) {
            bucketing = Nodes.text(filters, "bucketing_identifier");
        }
        return new FeatureFlag(
                Nodes.longValue(node, "id"),
                Nodes.text(node, "key"),
                Nodes.text(node, "name"),
                Nodes.bool(node, "active", true),
                Nodes.bool(node, "deleted", false),
                Nodes.bool(node, "ensure_experience_continuity", false),
                Nodes.integer(node, "version"),
                bucketing,
                FlagFilters.fromJson(filters));
    }

    /** True when the flag is bucketed by a group rather than by the person. */
    public boolean isGroupFlag() {
        return filters.aggregationGroupTypeIndex() != null;
    }

    public boolean bucketsByDeviceId() {
        return bucketingIdentifier != null && bucketingIdentifier.toLowerCase(Locale.ROOT).equals("device_id");
    }
}
