package dev.ingest.plugin.apps.js;

import dev.ingest.common.app.AppConfigRules;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/**
 * What one call of a JavaScript app may use. The service sets these once ({@link #DEFAULTS}, or the operator's
 * settings); an app's config may only lower its own {@code timeoutMs}, never raise it past the service's.
 * <p>
 * There is no heap cap per app: GraalJS community on a stock JDK cannot enforce one (see {@link JsEngine}). Memory is
 * bounded indirectly: a call stops after {@code statementLimit} statements or {@code timeout}, whichever comes first,
 * no single string may exceed {@code maxStringChars}, and the event handed in and the JSON handed back are capped.
 *
 * @param timeout wall-clock time one call may take before the watchdog cancels it (and its context is rebuilt)
 * @param statementLimit statements one call may execute; 1,000,000 is about 100 ms of interpreted JavaScript here
 * @param loadTimeout wall-clock time the script's top-level code may take when a context is created
 * @param maxSourceChars the largest script accepted
 * @param maxInputChars the largest event JSON handed to a hook; a larger event fails the call without running it
 * @param maxResultChars the largest JSON a hook may return
 * @param maxStringChars the longest string a script may build (a GraalJS engine option, so the same for all apps)
 * @param contexts how many contexts one app may run at once; created on demand, each evaluates the script once
 */
public record JsLimits(Duration timeout, long statementLimit, Duration loadTimeout, int maxSourceChars,
        int maxInputChars, int maxResultChars, int maxStringChars, int contexts) {
    public static final Duration MAX_TIMEOUT = Duration.ofMillis(AppConfigRules.JS_MAX_TIMEOUT_MS);
    public static final String TIMEOUT_MS = "timeoutMs";

    public static final JsLimits DEFAULTS = new JsLimits(Duration.ofMillis(100), 1_000_000, Duration.ofSeconds(5),
            256 * 1024, 4 * 1024 * 1024, 4 * 1024 * 1024, 16 * 1024 * 1024, 4);

    public JsLimits {
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout must be between 1 ms and " + MAX_TIMEOUT.toMillis() + " ms");
        }
        if (loadTimeout == null || loadTimeout.isNegative() || loadTimeout.isZero()) {
            throw new IllegalArgumentException("loadTimeout must be positive");
        }
        if (statementLimit < 1) {
            throw new IllegalArgumentException("statementLimit must be positive");
        }
        if (maxSourceChars < 1 || maxInputChars < 1 || maxResultChars < 1) {
            throw new IllegalArgumentException("size limits must be positive");
        }
        if (maxStringChars < Math.max(maxInputChars, maxResultChars)) {
            throw new IllegalArgumentException("maxStringChars must hold the largest input and result");
        }
        if (contexts < 1 || contexts > 64) {
            throw new IllegalArgumentException("contexts must be between 1 and 64");
        }
    }

    /** These limits with the app's own {@code timeoutMs}, when its config has one ({@link AppConfigRules} checks it). */
    public JsLimits forApp(JsonNode config) {
        JsonNode timeoutMs = config == null ? null : config.get(TIMEOUT_MS);
        if (timeoutMs == null || timeoutMs.isNull()) {
            return this;
        }
        // An app may shorten its calls, never lengthen them past the operator's limit.
        Duration wanted = Duration.ofMillis(timeoutMs.asLong());
        return withTimeout(wanted.compareTo(timeout) < 0 ? wanted : timeout);
    }

    public JsLimits withTimeout(Duration timeout) {
        return new JsLimits(timeout, statementLimit, loadTimeout, maxSourceChars, maxInputChars, maxResultChars,
                maxStringChars, contexts);
    }

    public JsLimits withStatementLimit(long statementLimit) {
        return new JsLimits(timeout, statementLimit, loadTimeout, maxSourceChars, maxInputChars, maxResultChars,
                maxStringChars, contexts);
    }

    public JsLimits withContexts(int contexts) {
        return new JsLimits(timeout, statementLimit, loadTimeout, maxSourceChars, maxInputChars, maxResultChars,
                maxStringChars, contexts);
    }
}
