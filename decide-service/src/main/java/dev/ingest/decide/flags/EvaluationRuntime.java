package dev.ingest.decide.flags;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Where flags are evaluated, as PostHog's flags service decides which flags a request gets
 * ({@code evaluation_runtime}; docs/posthog-compatibility.md#feature-flags): a flag marked {@code server} is only
 * served to server SDKs, one marked {@code client} only to browsers and mobile apps, one marked {@code all} (or
 * nothing) to both.
 */
public final class EvaluationRuntime {
    public static final String SERVER = "server";
    public static final String CLIENT = "client";
    public static final String ALL = "all";

    private static final String[] BROWSER_MARKERS = {"Mozilla/", "Chrome/", "Safari/", "Firefox/", "Edge/"};
    private static final String[] SERVER_LIBRARIES = {"posthog-python/", "posthog-ruby/", "posthog-php/",
        "posthog-java/", "posthog-go/", "posthog-node/", "posthog-dotnet/", "posthog-elixir/"};
    private static final String[] SERVER_TOOLS = {"python-requests/", "curl/"};
    private static final String[] MOBILE_LIBRARIES = {"posthog-android/", "posthog-ios/", "posthog-react-native/",
        "posthog-flutter/"};

    private EvaluationRuntime() {}

    /** A flag's runtime: {@code server} or {@code client}, or null for anything else (both). */
    static String normalized(String runtime) {
        if (runtime == null) {
            return null;
        }
        String lower = runtime.strip().toLowerCase(Locale.ROOT);
        return lower.equals(SERVER) || lower.equals(CLIENT) ? lower : null;
    }

    /** The headers of a request that decide its runtime (all optional). */
    public record RequestSignals(String explicitRuntime, String userAgent, boolean hasBrowserHeaders) {}

    /**
     * The request's runtime: the one it names ({@code evaluation_runtime}; {@code all} or anything unknown means
     * all), else the one its User-Agent shows, else {@code client} when it carries browser headers (Origin, Referer,
     * Sec-Fetch-*); empty when nothing tells.
     */
    public static Optional<String> of(RequestSignals request) {
        if (request.explicitRuntime() != null) {
            String named = normalized(request.explicitRuntime());
            return Optional.of(named == null ? ALL : named);
        }
        String agent = request.userAgent();
        if (agent != null) {
            if (Arrays.stream(BROWSER_MARKERS).anyMatch(agent::contains)) {
                return Optional.of(CLIENT);
            }
            if (Arrays.stream(SERVER_LIBRARIES).anyMatch(agent::startsWith)
                    || Arrays.stream(SERVER_TOOLS).anyMatch(agent::contains)) {
                return Optional.of(SERVER);
            }
            if (Arrays.stream(MOBILE_LIBRARIES).anyMatch(agent::startsWith)) {
                return Optional.of(CLIENT);
            }
        }
        return request.hasBrowserHeaders() ? Optional.of(CLIENT) : Optional.empty();
    }

    /**
     * Whether a flag is served to a request of {@code runtime}: every flag to a request for all runtimes; otherwise
     * a flag without a runtime, or with that one. A request whose runtime is unknown gets only unrestricted flags.
     */
    public static boolean serves(FeatureFlag flag, Optional<String> runtime) {
        if (flag.evaluationRuntime() == null) {
            return true;
        }
        return runtime.isPresent() && (runtime.get().equals(ALL) || runtime.get().equals(flag.evaluationRuntime()));
    }
}
