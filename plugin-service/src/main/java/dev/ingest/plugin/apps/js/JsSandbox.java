package dev.ingest.plugin.apps.js;

import java.util.EnumSet;
import java.util.Set;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;

/**
 * One GraalJS context with an app's script evaluated in it. Used by one thread at a time (the pool sees to that).
 * <p>
 * Only strings and numbers cross the boundary: the event and meta go in as JSON text and are parsed inside the
 * context, the hook's result comes back as JSON text made by {@code JSON.stringify}. The context is denied every host
 * capability ({@link JsEngine#newContext}); the bridge also deletes the inert {@code Java} global so scripts see no
 * trace of the host. The script
 * gets plain ECMAScript plus {@code console} (whose output is discarded): no {@code require}, {@code fetch},
 * {@code load}, timers or I/O.
 * <p>
 * A call that throws leaves the context usable. A call that timed out, hit the statement limit or was cancelled
 * leaves it closed: {@link #usable()} turns false and the pool replaces it.
 */
final class JsSandbox implements AutoCloseable {
    /** The name the script has in error messages and stack traces. */
    static final String SOURCE_NAME = "app.js";

    private static final Source BRIDGE = Source.newBuilder("js", """
            (function () {
              'use strict';
              const global = globalThis;
              const parse = JSON.parse;
              const stringify = JSON.stringify;
              const HOOKS = ['processEvent', 'composeWebhook', 'onEvent'];
              // By name, not as globalThis members: a top-level const, let or class counts too (the global lexical
              // scope is shared by all scripts of the context).
              function find(hook) {
                switch (hook) {
                  case 'processEvent': return typeof processEvent === 'function' ? processEvent : undefined;
                  case 'composeWebhook': return typeof composeWebhook === 'function' ? composeWebhook : undefined;
                  case 'onEvent': return typeof onEvent === 'function' ? onEvent : undefined;
                  default: return undefined;
                }
              }
              // Present even without host access (and inert): removed so scripts see nothing of the host.
              delete global.Java;
              let outcome = null;

              function isThenable(value) {
                return value !== null && (typeof value === 'object' || typeof value === 'function')
                    && typeof value.then === 'function';
              }

              // null: nothing (drop, skip); a string: the JSON; a number: the length of a JSON that is too large.
              function encode(hook, value, maxChars) {
                if (hook === 'onEvent' || value === null || value === undefined || value === false) {
                  return null;
                }
                if (hook === 'composeWebhook' && typeof value === 'object' && value.body !== undefined
                    && value.body !== null && typeof value.body !== 'string') {
                  value = Object.assign({}, value, { body: stringify(value.body) });
                }
                const text = stringify(value);
                if (typeof text !== 'string') {
                  throw new TypeError(hook + ' returned a ' + typeof value + ', which has no JSON form');
                }
                return text.length > maxChars ? text.length : text;
              }

              return {
                hooks() {
                  return HOOKS.filter((name) => find(name) !== undefined).join(',');
                },
                // true: the hook returned a promise; the engine runs its jobs before returning, then settle() reads it.
                call(hook, eventJson, metaJson, maxChars) {
                  outcome = null;
                  const fn = find(hook);
                  if (fn === undefined) {
                    throw new TypeError(hook + ' is not defined');
                  }
                  const result = fn(parse(eventJson), parse(metaJson));
                  if (!isThenable(result)) {
                    return encode(hook, result, maxChars);
                  }
                  outcome = { pending: true };
                  Promise.resolve(result).then(
                      (value) => { outcome = { value }; },
                      (error) => { outcome = { error }; });
                  return true;
                },
                settle(hook, maxChars) {
                  const done = outcome;
                  outcome = null;
                  if (done === null || done.pending) {
                    throw new TypeError(hook + ' returned a promise that never settled (apps have no timers or I/O)');
                  }
                  if ('error' in done) {
                    throw done.error;
                  }
                  return encode(hook, done.value, maxChars);
                }
              };
            })()
            """, "ingest-bridge.js").buildLiteral();

    private final Context context;
    private final Value bridge;
    private final Set<JsHook> hooks;
    private final JsWatchdog watchdog;
    private final JsLimits limits;
    private volatile boolean usable = true;

    private JsSandbox(Context context, Value bridge, Set<JsHook> hooks, JsWatchdog watchdog, JsLimits limits) {
        this.context = context;
        this.bridge = bridge;
        this.hooks = hooks;
        this.watchdog = watchdog;
        this.limits = limits;
    }

    /** A new context with {@code script} evaluated in it; its top-level code runs under {@code loadTimeout}. */
    static JsSandbox load(JsEngine engine, Source script, JsLimits limits) {
        Context context = engine.newContext(limits.statementLimit());
        JsWatchdog.Deadline deadline = engine.watchdog().start(context, limits.loadTimeout());
        try {
            Value bridge = context.eval(BRIDGE);
            context.eval(script);
            String names = bridge.invokeMember("hooks").asString();
            if (!deadline.finish()) {
                throw new JsAppException(JsAppException.Kind.TIMED_OUT,
                        "js app script timed out after " + limits.loadTimeout().toMillis() + " ms");
            }
            Set<JsHook> hooks = EnumSet.noneOf(JsHook.class);
            for (String name : names.isEmpty() ? new String[0] : names.split(",")) {
                hooks.add(JsHook.ofJsName(name));
            }
            return new JsSandbox(context, bridge, Set.copyOf(hooks), engine.watchdog(), limits);
        } catch (PolyglotException e) {
            boolean expired = !deadline.finish();
            JsWatchdog.cancel(context);
            throw failure("script", e, expired, limits.loadTimeout().toMillis(), limits);
        } catch (RuntimeException e) {
            deadline.finish();
            JsWatchdog.cancel(context);
            throw e;
        }
    }

    /** The hooks the script defines. */
    Set<JsHook> hooks() {
        return hooks;
    }

    /**
     * Runs {@code hook} on the event; returns the JSON the hook returned, or null when it returned nothing (or for
     * onEvent, always). Throws {@link JsAppException} when the call fails.
     */
    String call(JsHook hook, String eventJson, String metaJson) {
        String name = hook.jsName();
        try {
            context.resetLimits();
        } catch (IllegalStateException | PolyglotException e) {
            usable = false;
            throw closed(name, e);
        }
        JsWatchdog.Deadline deadline = watchdog.start(context, limits.timeout());
        Value result;
        try {
            result = bridge.invokeMember("call", name, eventJson, metaJson, limits.maxResultChars());
            if (result.isBoolean()) {
                result = bridge.invokeMember("settle", name, limits.maxResultChars());
            }
        } catch (PolyglotException e) {
            boolean expired = !deadline.finish();
            if (expired || !isContained(e)) {
                usable = false;
            }
            throw failure(name, e, expired, limits.timeout().toMillis(), limits);
        } catch (IllegalStateException e) {
            deadline.finish();
            usable = false;
            throw closed(name, e);
        }
        if (!deadline.finish()) {
            usable = false;
            throw new JsAppException(JsAppException.Kind.TIMED_OUT,
                    "js app " + name + " timed out after " + limits.timeout().toMillis() + " ms");
        }
        if (result.isNull()) {
            return null;
        }
        if (result.isString()) {
            return result.asString();
        }
        if (result.isNumber()) {
            throw new JsAppException(JsAppException.Kind.TOO_LARGE, "js app " + name + " returned " + result.asLong()
                    + " characters of JSON, more than the limit of " + limits.maxResultChars());
        }
        throw new JsAppException(JsAppException.Kind.INTERNAL, "js app " + name + ": unexpected result " + result);
    }

    /** False once the context was cancelled or closed: it must be thrown away. */
    boolean usable() {
        return usable;
    }

    /** Closes the context, cancelling a call that may be running in it. */
    @Override
    public void close() {
        usable = false;
        JsWatchdog.cancel(context);
    }

    private static JsAppException closed(String hook, Exception e) {
        return new JsAppException(JsAppException.Kind.CLOSED, "js app " + hook + " did not run: the app was closed", e);
    }

    /** A JavaScript error that left the context as it was (a throw, a rejection, a too deep recursion). */
    private static boolean isContained(PolyglotException e) {
        return e.isGuestException() && !e.isCancelled() && !e.isResourceExhausted() && !e.isInterrupted()
                && !e.isExit();
    }

    /** The one place that says what a failed evaluation means. */
    private static JsAppException failure(String what, PolyglotException e, boolean expired, long timeoutMillis,
            JsLimits limits) {
        if (expired) {
            return new JsAppException(JsAppException.Kind.TIMED_OUT,
                    "js app " + what + " timed out after " + timeoutMillis + " ms", e);
        }
        if (e.isResourceExhausted()) {
            return new JsAppException(JsAppException.Kind.STATEMENT_LIMIT,
                    "js app " + what + " exceeded its limit of " + limits.statementLimit() + " statements", e);
        }
        if (e.isCancelled()) {
            return new JsAppException(JsAppException.Kind.CLOSED,
                    "js app " + what + " was cancelled: the app was closed", e);
        }
        if (e.isGuestException()) {
            String message = String.valueOf(e.getMessage()).strip();
            String location = e.isSyntaxError() ? "" : location(e);
            return new JsAppException(JsAppException.Kind.THREW, "js app " + what + " threw: " + message + location, e);
        }
        return new JsAppException(JsAppException.Kind.INTERNAL,
                "js app " + what + " failed in the engine: " + e.getMessage(), e);
    }

    /** Where in the app's script the error was thrown, such as {@code " (app.js:3)"}, or "" when unknown. */
    private static String location(PolyglotException e) {
        for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
            SourceSection section = frame.getSourceLocation();
            if (frame.isGuestFrame() && section != null && SOURCE_NAME.equals(section.getSource().getName())) {
                return " (" + SOURCE_NAME + ":" + section.getStartLine() + ")";
            }
        }
        return "";
    }
}
