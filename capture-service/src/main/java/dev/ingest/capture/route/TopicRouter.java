package dev.ingest.capture.route;

import dev.ingest.capture.config.CaptureProperties;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Chooses the topic and key of each event (docs/posthog-compatibility.md#capture-message-and-routing): historical
 * batches and configured tokens or keys go to the historical topic, keyed, and never overflow; a key over its rate goes
 * to the overflow topic with no key; events whose token could not be verified are parked on the unverified topic;
 * everything else goes to the main topic keyed {@code token:distinct_id}.
 */
public final class TopicRouter {
    private final CaptureProperties.Topics topics;
    private final OverflowLimiter limiter;
    private final Set<String> historicalTokens = new HashSet<>();
    private final Set<String> historicalKeys = new HashSet<>();

    public TopicRouter(CaptureProperties.Topics topics, OverflowLimiter limiter, List<String> historicalConfig) {
        this.topics = topics;
        this.limiter = limiter;
        for (String entry : historicalConfig) {
            for (String item : entry.split(",")) {
                String trimmed = item.trim();
                if (trimmed.isEmpty()) {
                    continue;
                }
                (trimmed.contains(":") ? historicalKeys : historicalTokens).add(trimmed);
            }
        }
    }

    public Destination route(String token, String key, boolean historicalBatch, boolean tokenVerified) {
        return route(token, key, historicalBatch, tokenVerified, false);
    }

    /**
     * {@code forceOverflow}: an event restriction sends it to the overflow lane, keyed as usual (PostHog keeps the key
     * so a distinct id's events stay in order); a historical event stays historical.
     */
    public Destination route(String token, String key, boolean historicalBatch, boolean tokenVerified,
            boolean forceOverflow) {
        if (!tokenVerified) {
            return new Destination(topics.unverified(), key, Destination.Lane.UNVERIFIED_TOKEN);
        }
        if (historicalBatch || isHistorical(key)) {
            return new Destination(topics.historical(), key, Destination.Lane.HISTORICAL);
        }
        if (forceOverflow) {
            return new Destination(topics.overflow(), key, Destination.Lane.OVERFLOW);
        }
        if (limiter != null && limiter.isLimited(key)) {
            return new Destination(topics.overflow(), null, Destination.Lane.OVERFLOW);
        }
        return new Destination(topics.main(), key, Destination.Lane.MAIN);
    }

    /** A key is historical when its token, or the exact {@code token:distinct_id}, is configured. */
    boolean isHistorical(String key) {
        if (key == null || key.isEmpty()) {
            return false;
        }
        if (historicalKeys.contains(key)) {
            return true;
        }
        int colon = key.indexOf(':');
        return historicalTokens.contains(colon < 0 ? key : key.substring(0, colon));
    }
}
