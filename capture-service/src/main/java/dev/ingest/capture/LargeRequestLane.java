package dev.ingest.capture;

import dev.ingest.capture.error.CaptureError;
import dev.ingest.capture.error.CaptureException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Where the CPU-heavy part of a large request (decoding and parsing megabytes, for seconds) runs: a few platform
 * (daemon) threads of its own, one request each, so that it is time-sliced with everything else. Requests are served on virtual
 * threads, which are never preempted: a parse on one holds a carrier (there are as many as cores) until it ends, and
 * two of them once stalled every other request of the service for half a minute. A request that finds every lane
 * thread busy waits for one, at most {@code wait} (a waiting virtual thread holds no carrier; what it holds is in the
 * memory budget), and is then refused with 503 and Retry-After (the SDKs retry).
 */
final class LargeRequestLane {
    private final Semaphore permits;
    private final ExecutorService threads;
    private final Counter refused;
    private final int size;
    private final Duration wait;

    LargeRequestLane(int size, Duration wait, MeterRegistry metrics) {
        this.size = size;
        this.wait = wait;
        this.permits = new Semaphore(size);
        this.threads = Executors.newFixedThreadPool(size, Thread.ofPlatform().daemon().name("large-request-", 0).factory());
        this.refused = metrics.counter("ingest_capture_requests_rejected_total", "cause", "large_request_lane");
    }

    /** Runs {@code work} on a lane thread and waits for it (the waiting virtual thread gives up its carrier). */
    <T> T run(Callable<T> work) {
        boolean admitted;
        try {
            admitted = permits.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CaptureException(CaptureError.UNAVAILABLE, "overloaded", "Capture is shutting down.", e);
        }
        if (!admitted) {
            refused.increment();
            throw new CaptureException(CaptureError.UNAVAILABLE, "overloaded", "Capture is parsing as many large"
                    + " requests as it parses at once (" + size + "). Please try again.", null);
        }
        try {
            Future<T> result = threads.submit(work);
            try {
                return result.get();
            } catch (InterruptedException e) {
                result.cancel(true);
                Thread.currentThread().interrupt();
                throw new CaptureException(CaptureError.UNAVAILABLE, "overloaded", "Capture is shutting down.", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (e.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(e.getCause());
            }
        } finally {
            permits.release();
        }
    }
}
