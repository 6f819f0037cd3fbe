package dev.ingest.common.warning;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Counts repeated warnings so that each key (a project, a type, a subject such as a restriction) gives one warning
 * when it first happens and then at most one per window, carrying how many times it happened since the last one.
 * Nothing is lost: every occurrence is in some warning's count. Pure and thread-safe; time comes from the clock.
 */
public final class WarningWindows {
    /** What is counted together. */
    public record Key(String scope, String type, String subject) {}

    /** A warning to send: {@code count} occurrences from {@code from} to {@code to}, with the latest one's details. */
    public record Warning(Key key, Map<String, Object> details, long count, Instant from, Instant to) {}

    private static final class Window {
        Instant start;
        long pending;
        Map<String, Object> details;

        Window(Instant start) {
            this.start = start;
        }
    }

    private final Duration window;
    private final int maxKeys;
    private final Clock clock;
    private final Map<Key, Window> windows = new HashMap<>();
    private long uncounted;

    public WarningWindows(Duration window, int maxKeys, Clock clock) {
        if (window.isNegative() || window.isZero() || maxKeys < 1) {
            throw new IllegalArgumentException("a warning window must be positive and hold at least one key");
        }
        this.window = window;
        this.maxKeys = maxKeys;
        this.clock = clock;
    }

    /**
     * One occurrence: the warning to send now if it opens a window, else empty (it is counted into the window's next
     * warning). Beyond {@code maxKeys} open windows an occurrence of a new key is only counted in {@link #uncounted()}.
     */
    public synchronized Optional<Warning> record(Key key, Map<String, Object> details) {
        Instant now = clock.instant();
        Window open = windows.get(key);
        if (open == null) {
            if (windows.size() >= maxKeys) {
                uncounted++;
                return Optional.empty();
            }
            windows.put(key, new Window(now));
            return Optional.of(new Warning(key, details, 1, now, now));
        }
        open.pending++;
        open.details = details;
        return Optional.empty();
    }

    /** The warnings of windows that have ended with occurrences in them; an ended window without any is closed. */
    public synchronized List<Warning> due() {
        Instant now = clock.instant();
        List<Warning> due = new ArrayList<>();
        for (Iterator<Map.Entry<Key, Window>> it = windows.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Key, Window> entry = it.next();
            Window open = entry.getValue();
            if (now.isBefore(open.start.plus(window))) {
                continue;
            }
            if (open.pending == 0) {
                it.remove();
                continue;
            }
            due.add(new Warning(entry.getKey(), open.details, open.pending, open.start, now));
            open.start = now;
            open.pending = 0;
        }
        return due;
    }

    /** Occurrences not counted in any warning because too many keys were open at once. */
    public synchronized long uncounted() {
        return uncounted;
    }
}
