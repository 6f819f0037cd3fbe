package dev.ingest.decide.evaluation;

import dev.ingest.decide.flags.EvaluationRuntime;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A flags request as the SDKs send it (docs/posthog-compatibility.md#feature-flags), decoded.
 *
 * @param flagKeys only these flags ({@code flag_keys_to_evaluate} / {@code flag_keys}), or null for all
 * @param evaluationContexts the environments the SDK evaluates in ({@code evaluation_contexts}, formerly
 *     {@code evaluation_environments}): only flags tagged with one of them, or untagged, are served; empty for all
 * @param runtime what tells the request's runtime (its {@code evaluation_runtime}, User-Agent, browser headers)
 */
public record DecideRequest(
        String token,
        String distinctId,
        String anonDistinctId,
        String deviceId,
        Map<String, String> groups,
        Map<String, JsonNode> personProperties,
        Map<String, Map<String, JsonNode>> groupProperties,
        List<String> flagKeys,
        boolean disableFlags,
        List<String> evaluationContexts,
        EvaluationRuntime.RequestSignals runtime) {

    public DecideRequest {
        evaluationContexts = evaluationContexts == null ? List.of() : List.copyOf(evaluationContexts);
        runtime = runtime == null ? new EvaluationRuntime.RequestSignals(null, null, false) : runtime;
    }

    /** The same request for another distinct id (a cookieless visitor's, hashed from the request). */
    public DecideRequest withDistinctId(String id) {
        return new DecideRequest(token, id, anonDistinctId, deviceId, groups, personProperties, groupProperties,
                flagKeys, disableFlags, evaluationContexts, runtime);
    }

    /** The same request, its runtime read with these headers too. */
    public DecideRequest withHeaders(String userAgent, boolean hasBrowserHeaders) {
        return new DecideRequest(token, distinctId, anonDistinctId, deviceId, groups, personProperties, groupProperties,
                flagKeys, disableFlags, evaluationContexts,
                new EvaluationRuntime.RequestSignals(runtime.explicitRuntime(), userAgent, hasBrowserHeaders));
    }
}
