package dev.ingest.decide.flags;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * A feature flag definition as PostHog stores and serves it (docs/posthog-compatibility.md#feature-flags).
 *
 * @param id database id, or null for a definition without one
 * @param version the definition's version ({@code metadata.version} of /flags v2), or null
 * @param active missing means active (the PostHog model default)
 * @param bucketingIdentifier {@code "device_id"} to bucket person flags by {@code $device_id}; null for distinct_id
 * @param evaluationRuntime where the flag is evaluated: {@code "server"}, {@code "client"}, or null for both ("all")
 * @param evaluationContexts the evaluation tags (environments) the flag is limited to; empty for every environment
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
        String evaluationRuntime,
        List<String> evaluationContexts,
        FlagFilters filters) {

    public FeatureFlag {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("a feature flag needs a key");
        }
        filters = filters == null ? FlagFilters.EMPTY : filters;
        evaluationRuntime = EvaluationRuntime.normalized(evaluationRuntime);
        evaluationContexts = evaluationContexts == null ? List.of() : List.copyOf(evaluationContexts);
    }

    /** A flag with no runtime or environment restriction. */
    public FeatureFlag(Long id, String key, String name, boolean active, boolean deleted,
            boolean ensureExperienceContinuity, Integer version, String bucketingIdentifier, FlagFilters filters) {
        this(id, key, name, active, deleted, ensureExperienceContinuity, version, bucketingIdentifier, null, List.of(),
                filters);
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
                Nodes.text(node, "evaluation_runtime"),
                contexts(node.has("evaluation_contexts") ? node.get("evaluation_contexts") : node.get("evaluation_tags")),
                FlagFilters.fromJson(filters));
    }

    private static List<String> contexts(JsonNode node) {
        List<String> contexts = new ArrayList<>();
        if (node != null && node.isArray()) {
            for (JsonNode tag : node) {
                if (tag.isString()) {
                    contexts.add(tag.stringValue());
                }
            }
        }
        return contexts;
    }

    /** True when the flag is bucketed by a group rather than by the person. */
    public boolean isGroupFlag() {
        return filters.aggregationGroupTypeIndex() != null;
    }

    public boolean bucketsByDeviceId() {
        return bucketingIdentifier != null && bucketingIdentifier.toLowerCase(Locale.ROOT).equals("device_id");
    }
}
