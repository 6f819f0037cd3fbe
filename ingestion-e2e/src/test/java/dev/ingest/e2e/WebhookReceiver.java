package dev.ingest.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server on loopback standing in for destinations: every request is recorded; the path picks the answer:
 * {@code /ok/...} 200, {@code /down/...} 503, {@code /flaky/...} 500 for the first two requests to that exact path
 * and body then 200, {@code /hang/...} never answers (until the server stops).
 */
final class WebhookReceiver implements AutoCloseable {
    record Received(String method, String path, Map<String, List<String>> headers, String body, long atNanos) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> flakyCounts = new ConcurrentHashMap<>();
    private final AtomicInteger hanging = new AtomicInteger();
    private volatile boolean stopped;

    WebhookReceiver() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Received> received(String pathPrefix) {
        return received.stream().filter(r -> r.path().startsWith(pathPrefix)).toList();
    }

    /** Requests the {@code /hang} handler is holding right now. */
    int hanging() {
        return hanging.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = exchange.getRequestURI().getRawPath();
        received.add(new Received(exchange.getRequestMethod(), path, Map.copyOf(exchange.getRequestHeaders()), body,
                System.nanoTime()));
        int status;
        if (path.startsWith("/hang")) {
            hanging.incrementAndGet();
            try {
                while (!stopped) {
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                hanging.decrementAndGet();
            }
            status = 503;
        } else if (path.startsWith("/down")) {
            status = 503;
        } else if (path.startsWith("/flaky")) {
            status = flakyCounts.computeIfAbsent(path + body, k -> new AtomicInteger()).incrementAndGet() <= 2 ? 500 : 200;
        } else {
            status = 200;
        }
        exchange.sendResponseHeaders(status, -1);
        exchange.close();
    }

    @Override
    public void close() {
        stopped = true;
        server.stop(0);
    }
}
