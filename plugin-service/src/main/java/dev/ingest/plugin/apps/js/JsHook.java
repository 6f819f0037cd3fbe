package dev.ingest.plugin.apps.js;

/** The global functions a script may define, named as PostHog plugins name them. */
public enum JsHook {
    /** {@code processEvent(event, meta)}: returns the event to keep it, or null, undefined or false to drop it. */
    PROCESS_EVENT("processEvent"),
    /** {@code composeWebhook(event, meta)}: returns {@code {url, method?, headers?, body?}}, or null to skip. */
    COMPOSE_WEBHOOK("composeWebhook"),
    /** {@code onEvent(event, meta)}: returns nothing; throwing (or rejecting) fails the delivery attempt. */
    ON_EVENT("onEvent");

    private final String jsName;

    JsHook(String jsName) {
        this.jsName = jsName;
    }

    /** The function's name in the script. */
    public String jsName() {
        return jsName;
    }

    public static JsHook ofJsName(String name) {
        for (JsHook hook : values()) {
            if (hook.jsName.equals(name)) {
                return hook;
            }
        }
        throw new IllegalArgumentException("not a hook: " + name);
    }
}
