package dev.ingest.decide.flags;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A flag's {@code filters} (docs/posthog-compatibility.md#feature-flags).
 *
 * @param groups the release conditions, ORed, in stored order
 * @param variants the multivariate variants in stored order (empty for a boolean flag)
 * @param payloads by value: {@code "true"} for a boolean match, else the variant key
 * @param aggregationGroupTypeIndex null for a person flag, else the group type the flag is bucketed by
 * @param superGroups early-access enrollment conditions (only the first is used)
 * @param holdoutGroups experiment holdout conditions (only the first is used)
 */
public record FlagFilters(
        List<FlagCondition> groups,
        List<FlagVariant> variants,
        Map<String, FlagPayload> payloads,
        Integer aggregationGroupTypeIndex,
        List<FlagCondition> superGroups,
        List<FlagCondition> holdoutGroups) {

    public static final FlagFilters EMPTY = new FlagFilters(List.of(), List.of(), Map.of(), null, List.of(), List.of());

    public FlagFilters {
        groups = List.copyOf(groups);
        variants = List.copyOf(variants);
        payloads = Map.copyOf(payloads);
        superGroups = List.copyOf(superGroups);
        holdoutGroups = List.copyOf(holdoutGroups);
    }

    public static FlagFilters fromJson(JsonNode node) {
        if (Nodes.absent(node) || !node.isObject()) {
            return EMPTY;
        }
        Map<String, FlagPayload> payloads = new LinkedHashMap<>();
        node.path("payloads").forEachEntry((key, value) -> {
            if (!Nodes.absent(value)) {
                payloads.put(key, FlagPayload.of(value));
            }
        });
        JsonNode multivariate = node.path("multivariate");
        return new FlagFilters(
                Nodes.list(node, "groups", FlagCondition::fromJson),
                Nodes.absent(multivariate)
                        ? List.of()
                        : Nodes.list(multivariate, "variants", FlagVariant::fromJson),
                payloads,
                Nodes.integer(node, "aggregation_group_type_index"),
                Nodes.list(node, "super_groups", FlagCondition::fromJson),
                Nodes.list(node, "holdout_groups", FlagCondition::fromJson));
    }

    public boolean hasVariant(String key) {
        return variants.stream().anyMatch(variant -> variant.key().equals(key));
    }

    public Optional<FlagPayload> payload(String value) {
        return Optional.ofNullable(payloads.get(value));
    }
}
