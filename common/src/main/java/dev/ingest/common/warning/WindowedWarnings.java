package dev.ingest.common.warning;

import dev.ingest.common.kafka.OutgoingRecord;
import dev.ingest.common.kafka.RecordSink;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Repeated warnings sent as {@link WarningWindows} counts them: the first of a key at once, then one per window with
 * its count, from a timer of its own. Sending does not wait for Kafka (the caller is answering a request or processing
 * a batch); a failed send is logged.
 */
public final class WindowedWarnings implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WindowedWarnings.class);

    private final WarningWindows windows;
    private final RecordSink sink;
    private final Function<WarningWindows.Warning, OutgoingRecord> render;
    private final ScheduledExecutorService timer;

    public WindowedWarnings(Duration window, int maxKeys, Clock clock, RecordSink sink,
            Function<WarningWindows.Warning, OutgoingRecord> render) {
        this.windows = new WarningWindows(window, maxKeys, clock);
        this.sink = sink;
        this.render = render;
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("windowed-warnings")
                .factory());
        long period = Math.max(100, Math.min(window.toMillis(), 1000));
        timer.scheduleWithFixedDelay(this::flush, period, period, TimeUnit.MILLISECONDS);
    }

    public void record(WarningWindows.Key key, Map<String, Object> details) {
        windows.record(key, details).ifPresent(warning -> send(List.of(warning)));
    }

    /** Sends the warnings of every window that has ended (also run by the timer). */
    public void flush() {
        try {
            List<WarningWindows.Warning> due = windows.due();
            if (!due.isEmpty()) {
                send(due);
            }
        } catch (RuntimeException e) {
            log.warn("could not send windowed warnings", e);
        }
    }

    private void send(List<WarningWindows.Warning> warnings) {
        List<OutgoingRecord> records = warnings.stream().map(render).toList();
        sink.send(records).whenComplete((ok, error) -> {
            if (error != null) {
                log.warn("could not send {} warning(s): {}", records.size(), error.toString());
            }
        });
    }

    @Override
    public void close() {
        timer.shutdownNow();
        flush();
    }
}
