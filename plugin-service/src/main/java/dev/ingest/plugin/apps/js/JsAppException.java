package dev.ingest.plugin.apps.js;

/**
 * A call of a JavaScript app that did not produce a usable result. {@link Kind} says why, the message says it to the
 * project (it ends up in an app_error warning or a dead-lettered delivery).
 */
public final class JsAppException extends RuntimeException {
    /** Why a call failed. */
    public enum Kind {
        /** The script threw (or its promise rejected), or hit a JavaScript error such as too deep recursion. */
        THREW,
        /** The call ran longer than its timeout and was cancelled. */
        TIMED_OUT,
        /** The call executed more statements than its limit allows. */
        STATEMENT_LIMIT,
        /** The hook returned something of the wrong shape (no properties object, an invalid URL, ...). */
        BAD_RESULT,
        /** The event handed in, or the JSON handed back, is larger than the limit. */
        TOO_LARGE,
        /** The app was closed (its configuration was replaced) while or before it ran. */
        CLOSED,
        /** The engine failed in a way the script did not cause. */
        INTERNAL,
        /** The app's worker process died during the call (out of memory, killed for not answering). */
        CRASHED,
        /** The app crashed its worker too often and is no longer run. */
        DISABLED
    }

    private final Kind kind;

    public JsAppException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    JsAppException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
