package dev.ingest.plugin.apps;

/**
 * What one configured app does: any of {@code processEvent} (before person processing), {@code composeWebhook}
 * and {@code onEvent} (after the event is stored), each null when the app lacks it, plus what to close when the app
 * is replaced (a JS app's contexts).
 */
public record AppHooks(EventTransformer processEvent, WebhookComposer composeWebhook, OnEventHandler onEvent,
        AutoCloseable resources) {
    public static AppHooks processEvent(EventTransformer transformer) {
        return new AppHooks(transformer, null, null, null);
    }

    public static AppHooks destination(WebhookComposer composer) {
        return new AppHooks(null, composer, null, null);
    }

    /**
     * An app that cannot run (invalid configuration): its hook fails on every event with {@code reason}, so the
     * project sees why (app_error warnings for a processEvent app, dead-lettered deliveries for a destination).
     */
    public static AppHooks failing(String reason, boolean destination) {
        if (destination) {
            return destination((event, meta) -> {
                throw new IllegalArgumentException(reason);
            });
        }
        return processEvent((event, meta) -> {
            throw new IllegalArgumentException(reason);
        });
    }

    public boolean isDestination() {
        return composeWebhook != null || onEvent != null;
    }
}
