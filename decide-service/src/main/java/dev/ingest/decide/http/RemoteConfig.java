package dev.ingest.decide.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration posthog-js reads at load (the config keys of docs/posthog-compatibility.md#feature-flags): gzip-js
 * compression, events to /i/v0/e/, autocapture on, heatmaps as the project chose, session recording and surveys off
 * (this platform has neither).
 */
final class RemoteConfig {
    private RemoteConfig() {}

    static Map<String, Object> base(boolean hasFeatureFlags, boolean heatmaps) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("config", Map.of("enable_collect_everything", true));
        config.put("toolbarParams", Map.of());
        config.put("isAuthenticated", false);
        config.put("supportedCompression", List.of("gzip", "gzip-js"));
        config.put("hasFeatureFlags", hasFeatureFlags);
        config.put("captureDeadClicks", false);
        config.put("capturePerformance", false);
        config.put("autocapture_opt_out", false);
        config.put("autocaptureExceptions", false);
        config.put("analytics", Map.of("endpoint", "/i/v0/e/"));
        config.put("elementsChainAsString", true);
        config.put("sessionRecording", false);
        config.put("surveys", false);
        config.put("heatmaps", heatmaps);
        config.put("defaultIdentifiedOnly", true);
        config.put("siteApps", List.of());
        return config;
    }
}
