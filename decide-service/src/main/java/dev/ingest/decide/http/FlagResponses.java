package dev.ingest.decide.http;

import dev.ingest.decide.evaluation.FlagService;
import dev.ingest.decide.flags.FeatureFlag;
import dev.ingest.decide.flags.FlagResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The response shapes of /decide v1-v4 and /flags (docs/posthog-compatibility.md#feature-flags), built from one evaluation. */
final class FlagResponses {
    private FlagResponses() {}

    /** Django decide: v1 a list of enabled keys, v2 enabled keys with values, v3+ all flags, errors and payloads. */
    static Map<String, Object> decide(int version, FlagService.Evaluation evaluation, boolean hasFlags,
            boolean heatmaps) {
        Map<String, Object> body = RemoteConfig.base(hasFlags, heatmaps);
        Map<String, FlagResult> results = evaluation.results();
        if (version <= 1) {
            body.put("featureFlags", results.values().stream().filter(FlagResult::enabled).map(FlagResult::key).toList());
        } else if (version == 2) {
            Map<String, Object> enabled = new LinkedHashMap<>();
            results.values().stream().filter(FlagResult::enabled).forEach(r -> enabled.put(r.key(), r.value()));
            body.put("featureFlags", enabled);
        } else {
            body.putAll(legacy(evaluation));
            if (version >= 4) {
                body.put("flags", detailed(evaluation));
            }
        }
        return body;
    }

    /** /flags: v2 the detailed map, otherwise the flat legacy shape; the decide config only with config=true. */
    static Map<String, Object> flags(int version, FlagService.Evaluation evaluation, boolean withConfig, boolean hasFlags,
            boolean heatmaps) {
        Map<String, Object> body = withConfig ? RemoteConfig.base(hasFlags, heatmaps) : new LinkedHashMap<>();
        if (version >= 2) {
            body.put("errorsWhileComputingFlags", evaluation.errors());
            body.put("flags", detailed(evaluation));
        } else {
            body.putAll(legacy(evaluation));
        }
        body.put("requestId", UUID.randomUUID().toString());
        body.put("evaluatedAt", System.currentTimeMillis());
        return body;
    }

    private static Map<String, Object> legacy(FlagService.Evaluation evaluation) {
        Map<String, Object> flags = new LinkedHashMap<>();
        Map<String, Object> payloads = new LinkedHashMap<>();
        for (FlagResult result : evaluation.results().values()) {
            flags.put(result.key(), result.value());
            if (result.enabled() && result.payload() != null) {
                payloads.put(result.key(), result.payload());
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("featureFlags", flags);
        body.put("errorsWhileComputingFlags", evaluation.errors());
        body.put("featureFlagPayloads", payloads);
        return body;
    }

    private static Map<String, Object> detailed(FlagService.Evaluation evaluation) {
        Map<String, Object> flags = new LinkedHashMap<>();
        for (FlagResult result : evaluation.results().values()) {
            FeatureFlag flag = evaluation.flags().get(result.key());
            Map<String, Object> reason = new LinkedHashMap<>();
            reason.put("code", result.reason().code());
            reason.put("condition_index", result.conditionIndex());
            reason.put("description", result.description());
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("id", flag == null ? null : flag.id());
            metadata.put("version", flag == null ? null : flag.version());
            metadata.put("description", null);
            metadata.put("payload", result.enabled() ? result.payload() : null);
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("key", result.key());
            detail.put("enabled", result.enabled());
            detail.put("variant", result.variant());
            detail.put("reason", reason);
            detail.put("metadata", metadata);
            flags.put(result.key(), detail);
        }
        return flags;
    }

    static List<String> keys(Map<String, ?> map) {
        return new ArrayList<>(map.keySet());
    }
}
