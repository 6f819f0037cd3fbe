package dev.ingest.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * A bounded HTTP load: {@code workers} keep-alive clients post bodies (or GET, when {@code bodies} is null) for
 * {@code duration}, optionally paced to a total rate. Records every request's latency; counts non-2xx answers instead of failing.
 */
final class LoadRun {
    record Result(long requests, long failures, double seconds, long[] latencyNanos) {
        double requestsPerSecond() {
            return requests / seconds;
        }
    }

    private LoadRun() {}

    static Result run(HttpClient http, URI target, String contentType, String contentEncoding, IntFunction<byte[]> bodies,
            int workers, Duration duration, double targetRatePerSecond) throws Exception {
        long end = System.nanoTime() + duration.toNanos();
        AtomicLong failures = new AtomicLong();
        List<Future<List<Long>>> futures = new ArrayList<>();
        double perWorkerIntervalNanos = targetRatePerSecond > 0 ? 1e9 * workers / targetRatePerSecond : 0;
        long started = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < workers; w++) {
                int worker = w;
                futures.add(pool.submit(() -> {
                    List<Long> latencies = new ArrayList<>();
                    long next = System.nanoTime() + (long) (perWorkerIntervalNanos * worker / workers);
                    int i = worker;
                    while (System.nanoTime() < end) {
                        if (perWorkerIntervalNanos > 0) {
                            long wait = next - System.nanoTime();
                            if (wait > 0) {
                                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                            }
                            next += (long) perWorkerIntervalNanos;
                        }
                        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(30));
                        if (bodies == null) {
                            request.GET();
                        } else {
                            request.header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(bodies.apply(i)));
                        }
                        if (contentEncoding != null) {
                            request.header("Content-Encoding", contentEncoding);
                        }
                        long t0 = System.nanoTime();
                        try {
                            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
                            if (response.statusCode() / 100 != 2) {
                                failures.incrementAndGet();
                            }
                        } catch (IOException e) {
                            failures.incrementAndGet();
                        }
                        latencies.add(System.nanoTime() - t0);
                        i += workers;
                    }
                    return latencies;
                }));
            }
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> future : futures) {
                all.addAll(future.get());
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            long[] latencies = all.stream().mapToLong(Long::longValue).toArray();
            return new Result(latencies.length - failures.get(), failures.get(), seconds, Stats.sorted(latencies));
        }
    }
}
